#!/usr/bin/env bash
# The main job, offline: install the dependencies, build Release, install `forgather` to
# ~/.local, train the external-workspace ALiBi-GLU example on the embedded SYNTHETIC stories for a
# few minutes on the CPU, then print a story from the dragon prompt.
#   scripts/quickstart.sh            ~300 training steps (a few minutes on 2 cores)
#   scripts/quickstart.sh --short    5 steps (what CI runs)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
steps=${FG_QUICKSTART_STEPS:-300}
if [[ "${1:-}" == "--short" ]]; then steps=5; fi

echo "== installing dependencies"
scripts/install-deps.sh
echo "== building Release (the forgather executable only)"
cmake --preset release -DFG_BUILD_TESTS=OFF -DFG_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j "$(nproc)" --target forgather
cmake --install build/release >/dev/null
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' build/release/CMakeCache.txt)
export PATH="$prefix/bin:$PATH"
echo "== installed $(command -v forgather)"

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
