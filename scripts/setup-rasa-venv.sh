#!/usr/bin/env bash
# Creates .venv-rasa with Rasa 3.6.21 (and spaCy + lookup data) from the committed lock.
# Prefers a Python 3.10 interpreter; without one it follows the verified Python 3.11
# recipe of ../shared/spec/architecture.md (dependencies read as if on 3.10, constraints).
# RASA_FORCE_PY311=1 takes that path even where 3.10 exists; VENV=DIR installs elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv-rasa}
start=$(date +%s)

# pip, without the noise of find-links/index folders that this machine's pip.conf names
pip_in_venv() {
  { "$VENV/bin/pip" "$@" 2>&1; } | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}

find_python310() {
  if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys' 2>/dev/null; then
    command -v python3.10; return
  fi
  for candidate in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
}

rm -rf "$VENV"
PY310=""
[ "${RASA_FORCE_PY311:-0}" = 1 ] || PY310=$(find_python310 || true)
if [ -n "$PY310" ]; then
  echo "setup: .venv-rasa on $PY310"
  "$PY310" -m venv "$VENV"
  pip_in_venv install -q -U pip
  pip_in_venv install -q -r requirements/rasa.lock
else
  echo "setup: no Python 3.10 found, using the Python 3.11 recipe"
  scripts/ensure-apt.sh libfreetype-dev libqhull-dev pkg-config
  python3.11 -m venv "$VENV"
  pip_in_venv install -q -U pip packaging
  work=$(mktemp -d)
  pip_in_venv download -q --no-deps --ignore-requires-python rasa==3.6.21 -d "$work"
  "$VENV/bin/python" scripts/rasa_requirements_py310.py "$work"/rasa-3.6.21-py3-none-any.whl \
    > "$work/rasa-deps.txt"
  echo "spacy-lookups-data==1.0.5" >> "$work/rasa-deps.txt"
  printf '[libs]\nsystem_freetype = True\nsystem_qhull = True\n' > "$work/mplsetup.cfg"
  MPLSETUPCFG="$work/mplsetup.cfg" pip_in_venv install -q --ignore-requires-python \
    -r "$work/rasa-deps.txt" \
    -c requirements/rasa-py311-constraints.txt
  pip_in_venv install -q --no-deps --ignore-requires-python "$work"/rasa-3.6.21-py3-none-any.whl
  rm -rf "$work"
fi
pip_in_venv check
"$VENV/bin/rasa" telemetry disable >/dev/null 2>&1 || true
touch "$VENV/.installed"
echo "setup: .venv-rasa ready in $(( $(date +%s) - start )) s"
