#!/usr/bin/env bash
# Issue 5 learning parity: trains the example model with our Trainer (bench/learning_run) and with
# the PyTorch peer (tools/pytorch_peer.py) on the same token ids, prints both eval-loss curves side
# by side, the final difference, wall times and tokens/s, and exits 1 when the acceptance fails
# (ours final eval < 4.0 and |ours - peer| < 0.1).
#   tools/learning_parity.sh [build_dir] [steps]        (defaults: build/dev 600)
# Environment: OUT_DIR (default /tmp/learning_parity), EVAL_STEPS (100), LOGGING_STEPS (10),
#   THREADS (2 per run), CONCURRENT=1 (both runs at once instead of one after the other),
#   PYTHON (/usr/bin/python3), DATA (<repo>/../shared/data/tinystories-lc), MAX_VALID (500),
#   PARITY_CI=1: the short CI check instead of the acceptance (ours: initial eval 7.6-7.8 and falling;
#   the peer, when torch is importable: the same, and initial losses within 0.1).
# Exit status 77 (ctest's skip) when the data folder is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
steps=${2:-600}
out=${OUT_DIR:-/tmp/learning_parity}
eval_steps=${EVAL_STEPS:-100}
threads=${THREADS:-2}
py=${PYTHON:-/usr/bin/python3}
data=${DATA:-$(cd "$(dirname "$0")/.." && pwd)/../shared/data/tinystories-lc}
if [ ! -f "$data/train.txt" ]; then echo "no $data/train.txt: skipped"; exit 77; fi
mkdir -p "$out/ours"
rm -f "$out/peer_summary.json" "$out/ours/summary.json"

ours_expect=()
if [ "${PARITY_CI:-0}" = 1 ]; then ours_expect=(--expect-initial 7.6:7.8 --expect-fall 0); fi
run_ours() {
  "$build/bench/learning_run" --data "$data" --output "$out/ours" --steps "$steps" \
    --eval-steps "$eval_steps" --logging-steps "${LOGGING_STEPS:-10}" --threads "$threads" \
    --max-valid "${MAX_VALID:-500}" "${ours_expect[@]}" >"$out/ours.log" 2>&1
}
run_peer() {
  "$py" tools/pytorch_peer.py --train-tokens "$out/ours/train_tokens.txt" \
    --valid-tokens "$out/ours/valid_tokens.txt" --steps "$steps" --eval-steps "$eval_steps" \
    --logging-steps "${LOGGING_STEPS:-10}" --threads "$threads" \
    --summary "$out/peer_summary.json" >"$out/peer.log" 2>&1
}

have_peer=1
"$py" -c "import torch" 2>/dev/null || have_peer=0
status=0
if [ "${CONCURRENT:-0}" = 1 ] && [ "$have_peer" = 1 ]; then
  # The peer needs our token files: start it once they are written.
  run_ours & ours_pid=$!
  while [ ! -s "$out/ours/valid_tokens.txt" ] && kill -0 "$ours_pid" 2>/dev/null; do sleep 2; done
  run_peer & peer_pid=$!
  wait "$ours_pid" || status=$?
  wait "$peer_pid" || status=$?
else
  run_ours || status=$?
  if [ "$have_peer" = 1 ] && [ -s "$out/ours/valid_tokens.txt" ]; then run_peer || status=$?; fi
fi
if [ "$status" != 0 ]; then
  echo "a run failed (status $status); logs:"; tail -5 "$out/ours.log"
  [ -f "$out/peer.log" ] && tail -5 "$out/peer.log"
  exit 1
fi
[ "$have_peer" = 1 ] || echo "no torch under $py: the peer part is skipped"
python3 tools/learning_compare.py "$out/ours/summary.json" \
  "$([ "$have_peer" = 1 ] && echo "$out/peer_summary.json" || echo -)" $([ "${PARITY_CI:-0}" = 1 ] && echo --ci)
