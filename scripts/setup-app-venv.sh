#!/usr/bin/env bash
# Creates .venv (Python 3.11) for the gateway, actions, knowledge base and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
start=$(date +%s)

# pip, without the noise of find-links/index folders that this machine's pip.conf names
pip_in_venv() {
  { "$VENV/bin/pip" "$@" 2>&1; } | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
if ! python3.11 -c 'import ensurepip' >/dev/null 2>&1; then
  scripts/ensure-apt.sh python3.11-venv
fi
rm -rf "$VENV"
python3.11 -m venv "$VENV"
pip_in_venv install -q -U pip
pip_in_venv install -q -r requirements/app.lock
pip_in_venv check
touch "$VENV/.installed"
echo "setup: .venv ready in $(( $(date +%s) - start )) s"
