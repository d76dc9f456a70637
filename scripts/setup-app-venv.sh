#!/usr/bin/env bash
# Creates .venv (Python 3.11) for the gateway, actions, knowledge base and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
start=$(date +%s)
if ! python3.11 -c 'import ensurepip' >/dev/null 2>&1; then
  scripts/ensure-apt.sh python3.11-venv
fi
rm -rf "$VENV"
python3.11 -m venv "$VENV"
"$VENV/bin/pip" install -q -U pip
"$VENV/bin/pip" install -q -r requirements/app.lock
"$VENV/bin/pip" check
touch "$VENV/.installed"
echo "setup: .venv ready in $(( $(date +%s) - start )) s"
