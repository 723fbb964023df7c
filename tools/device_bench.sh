#!/usr/bin/env bash
# One-shot benchmark run for a quiet machine (the shared dev box is too loaded for timings):
# environment probe, ours vs PyTorch at 8x512 and 8x256, then the per-op profile at 8x512.
#   tools/device_bench.sh [build_dir] [steps]   (results also written under $OUT when set)
build=${1:-build/dev}
steps=${2:-3}
out=${OUT:-/tmp}
cd "$(dirname "$0")/.."
echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"
missing=$(ldd "$build/bench/train_step" | grep "not found")
if [ -n "$missing" ]; then echo "missing libraries: $missing"; exit 2; fi
"${PYTHON:-/usr/bin/python3}" -c "import torch; print('torch', torch.__version__)" || echo "no torch here"
tools/compare_throughput.sh "$build" 8 512 "$steps" 2>&1 | tee "$out/compare_8x512.txt"
tools/compare_throughput.sh "$build" 8 256 "$steps" 2>&1 | tee "$out/compare_8x256.txt"
if "${PYTHON:-/usr/bin/python3}" -c "import torch.nn.functional as F; F.scaled_dot_product_attention"; then
  PEER_ARGS=--sdpa tools/compare_throughput.sh "$build" 8 512 "$steps" 2>&1 | tee "$out/compare_8x512_sdpa.txt"
  PEER_ARGS=--sdpa tools/compare_throughput.sh "$build" 8 256 "$steps" 2>&1 | tee "$out/compare_8x256_sdpa.txt"
fi
OMP_NUM_THREADS=2 "$build/bench/train_step" --batch 8 --seq 512 --profile 3 2>&1 |
  tee "$out/profile_8x512.txt"
