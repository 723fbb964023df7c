#!/usr/bin/env bash
# Makes build/venv, a Python virtual environment with the pinned test packages
# (tools/python/requirements-test.txt). The environment itself lives in a cache folder keyed by
# the pins ($FORGATHER_VENV_CACHE, default ~/.cache/forgather/venvs/<hash>), and build/venv links
# to it: torch alone is gigabytes, so a fresh clone on a machine that already installed the same
# pins reuses them instead of installing again. Prints the venv's python on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=tools/python/requirements-test.txt
hash=$( (cat "$requirements"; python3 --version) | sha256sum | cut -c1-16)
cache=${FORGATHER_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/forgather/venvs}
venv=$cache/$hash
if [[ -x $venv/bin/python && -f $venv/.complete ]]; then
  echo "python-deps: $venv up to date"
else
  echo "python-deps: installing $(grep -cv '^\s*\(#\|$\)' "$requirements") pinned packages into $venv" \
    "(torch with its CUDA wheels: several minutes on a new machine)"
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$venv/.complete"
fi
mkdir -p build
ln -sfn "$venv" build/venv
echo "$(pwd)/build/venv/bin/python"
