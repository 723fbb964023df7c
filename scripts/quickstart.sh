#!/usr/bin/env bash
# The main job, offline: install the dependencies, build Release, install `forgather` to
# ~/.local and the Python module `forgather` to python3's user site-packages, train the
# external-workspace ALiBi-GLU example on the embedded SYNTHETIC stories for a few minutes on the
# CPU, then print a story from the dragon prompt.
#   scripts/quickstart.sh                     600 training steps (about 3 minutes on 2 cores)
#   scripts/quickstart.sh --short             5 steps
#   scripts/quickstart.sh --short --preset dev
#       what CI runs after its dev build: the same steps on the already-built dev tree, installed
#       to that tree's prefix, instead of a second, Release build
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
steps=${FG_QUICKSTART_STEPS:-600}
preset=release
while [[ $# -gt 0 ]]; do
  case "$1" in
    --short) steps=5 ;;
    --preset) preset=$2; shift ;;
    *) echo "usage: scripts/quickstart.sh [--short] [--preset release|dev]" >&2; exit 2 ;;
  esac
  shift
done
start=$(date +%s)

echo "== installing dependencies"
scripts/install-deps.sh
echo "== building the forgather executable and Python module ($preset preset)"
# The module is built for the python3 on PATH and installed into its user site-packages, so
# `python3 -c "import forgather"` works afterwards. Debian's interpreter is kept when it is the
# same Python version (its headers come from a Debian package; scripts/check-deps.sh checks that).
python=$(python3 -c 'import sys; print(sys.executable)')
python_version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
user_site=$(python3 -m site --user-site)
python_args=(-DFG_PYTHON_INSTALL_DIR="$user_site")
if [[ ! -x /usr/bin/python3 ||
  $(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') != "$python_version" ]]; then
  python_args+=(-DPython3_EXECUTABLE="$python")
fi
if [[ "$preset" == release ]]; then
  cmake --preset release -DFG_BUILD_TESTS=OFF -DFG_BUILD_BENCH=OFF "${python_args[@]}" >/dev/null
else
  cmake --preset "$preset" "${python_args[@]}" >/dev/null
fi
cmake --build "build/$preset" -j "$(nproc)" --target forgather _forgather
cmake --install "build/$preset" >/dev/null
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "build/$preset/CMakeCache.txt")
export PATH="$prefix/bin:$PATH"
echo "== installed $(command -v forgather)"
(cd / && python3 -c 'import forgather, sys; print("== installed the Python module", forgather.__file__)') || {
  echo "quickstart: python3 cannot import the forgather module installed in $user_site" >&2
  exit 1
}

# Train in a scratch copy of the example workspace so the repository stays clean and a rerun
# starts fresh.
work="$repo/build/quickstart"
rm -rf "$work"
mkdir -p "$work"
cp -r examples/external_workspace_example "$work/"
rm -rf "$work"/external_workspace_example/*/output_models  # runs made in the source tree stay there
cd "$work/external_workspace_example/alibi_glu_project"

export FORGATHER_DATASET=synthetic  # the embedded synthetic stories: no download needed
echo "== training the ALiBi-GLU example for $steps steps (synthetic stories, CPU)"
forgather -t baseline.yaml train --max-steps "$steps"

echo "== a story from the dragon prompt"
forgather generate output_models/baseline_alibi_glu --max-new-tokens 120 \
  --prompt "once upon a time, there was a little dragon who loved to read stories"
echo "== quickstart done in $(($(date +%s) - start)) s"
