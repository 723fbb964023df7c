#!/usr/bin/env bash
# Runs bench/train_step (ours) and tools/pytorch_peer.py (PyTorch, 2 threads) one after the other on
# the same shape, then prints tokens/s and peak RSS of each and the throughput ratio ours/PyTorch.
#   tools/compare_throughput.sh [build_dir] [batch] [seq] [steps]
# Example: tools/compare_throughput.sh build/release 8 512 5   (PYTHON=... picks the interpreter,
# PEER_ARGS=--sdpa runs the peer's attention through F.scaled_dot_product_attention)
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
OMP_NUM_THREADS=2 run torch "${PYTHON:-/usr/bin/python3}" "$root/tools/pytorch_peer.py" --batch "$batch" \
  --seq "$seq" --steps "$steps" --threads 2 ${PEER_ARGS:-}

ours=$(tps ours)
peer=$(tps torch)
echo "shape: batch $batch x seq $seq, $steps timed steps, 2 threads, fp32"
echo "ours:    tokens_per_second $ours  peak_rss_mb $(rss ours)"
echo "pytorch: tokens_per_second $peer  peak_rss_mb $(rss torch)"
awk -v a="$ours" -v b="$peer" 'BEGIN { printf "ratio (ours / pytorch): %.2fx\n", a / b }'
