#!/usr/bin/env bash
# Makes build/venv, a Python virtual environment with the pinned test packages
# (tools/python/requirements-test.txt). Does nothing when the pins have not changed since the
# last install. Prints the venv's python on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv
requirements=tools/python/requirements-test.txt
stamp=$venv/.requirements-installed
if [[ -x $venv/bin/python && -f $stamp ]] && cmp -s "$requirements" "$stamp"; then
  echo "python-deps: $venv up to date"
else
  echo "python-deps: installing $(grep -cv '^\s*\(#\|$\)' "$requirements") pinned packages into $venv"
  mkdir -p build
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
echo "$(pwd)/$venv/bin/python"
