#!/usr/bin/env bash
# Runs bench/train_step (ours) and tools/pytorch_peer.py (PyTorch, 2 threads) one after the other on
# the same shape, then prints tokens/s and peak RSS of each and the throughput ratio ours/PyTorch.
#   tools/compare_throughput.sh [build_dir] [batch] [seq] [steps]
# Example: tools/compare_throughput.sh build/release 8 512 5   (PYTHON=... picks the interpreter,
# PEER_ARGS=--sdpa runs the peer's attention through F.scaled_dot_product_attention)
# BF16=1: bf16 mixed precision side by side: ours fp32, ours --bf16 and PyTorch under bf16
# autocast, with the ratios the bf16 acceptance asks for (speed and peak RSS); PYTHON must have
# torch (docs/pytorch_peer.md: PYTHON=build/venv/bin/python).
set -euo pipefail
build=${1:-build/dev}
batch=${2:-8}
seq=${3:-512}
steps=${4:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {  # run NAME CMD...: stdout to $tmp/NAME.out, /usr/bin/time -v report to $tmp/NAME.time
  local name=$1
  shift
  echo "== $name: $*" >&2
  /usr/bin/time -v -o "$tmp/$name.time" "$@" | tee "$tmp/$name.out" >&2
}

tps() { grep '^tokens_per_second:' "$tmp/$1.out" | tail -1 | awk '{print $2}'; }
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$tmp/$1.time"; }

OMP_NUM_THREADS=2 run ours "$root/$build/bench/train_step" --batch "$batch" --seq "$seq" --steps "$steps"
if [ "${BF16:-0}" = 1 ]; then
  OMP_NUM_THREADS=2 run ours_bf16 "$root/$build/bench/train_step" --batch "$batch" --seq "$seq" \
    --steps "$steps" --bf16
  OMP_NUM_THREADS=2 run torch_bf16 "${PYTHON:-/usr/bin/python3}" "$root/tools/pytorch_peer.py" \
    --batch "$batch" --seq "$seq" --steps "$steps" --threads 2 --bf16 ${PEER_ARGS:-}
  echo "shape: batch $batch x seq $seq, $steps timed steps, 2 threads, one run after the other"
  for n in ours ours_bf16 torch_bf16; do
    echo "$n: tokens_per_second $(tps $n)  peak_rss_mb $(rss $n)"
  done
  awk -v a="$(tps ours_bf16)" -v f="$(tps ours)" -v t="$(tps torch_bf16)" \
    -v ra="$(rss ours_bf16)" -v rt="$(rss torch_bf16)" 'BEGIN {
      printf "ours bf16 / ours fp32: %.2fx (acceptance >= 1.6)\n", a / f
      printf "ours bf16 / pytorch bf16: %.2fx (acceptance >= 2)\n", a / t
      printf "peak RSS ours bf16 / pytorch bf16: %.2f (acceptance <= 0.4)\n", ra / rt }'
  exit 0
fi
OMP_NUM_THREADS=2 run torch "${PYTHON:-/usr/bin/python3}" "$root/tools/pytorch_peer.py" --batch "$batch" \
  --seq "$seq" --steps "$steps" --threads 2 ${PEER_ARGS:-}

ours=$(tps ours)
peer=$(tps torch)
echo "shape: batch $batch x seq $seq, $steps timed steps, 2 threads, fp32"
echo "ours:    tokens_per_second $ours  peak_rss_mb $(rss ours)"
echo "pytorch: tokens_per_second $peer  peak_rss_mb $(rss torch)"
awk -v a="$ours" -v b="$peer" 'BEGIN { printf "ratio (ours / pytorch): %.2fx\n", a / b }'
