#!/usr/bin/env bash
# The main job: install dependencies, build Release, install `forgather`, then run the
# end-to-end training benchmark (forward + backward + AdamW of the example model).
#   scripts/quickstart.sh [--short]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=20
if [[ "${1:-}" == "--short" ]]; then steps=3; fi

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
cmake --install build/release >/dev/null

if [[ -x build/release/bench/train_step ]]; then
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} build/release/bench/train_step --batch 8 --seq 256 --steps "$steps"
else
  echo "quickstart: build/release/bench/train_step was not built" >&2
  exit 1
fi
