#!/usr/bin/env bash
# The seed's ALiBi-vs-absolute-PE experiment (issue 6): trains baseline.yaml and
# abspe_comparison.yaml from a scratch copy of the example workspace on the whole train split of
# $FORGATHER_TINYSTORIES with the same seed and steps, both at once, then evaluates both models at
# 256..2048 tokens and writes the comparison tables and the HTML report.
#   FORGATHER_TINYSTORIES=../shared/data/tinystories-lc tools/hypothesis_experiment.sh OUT [steps]
# Environment: FORGATHER (the binary; default: forgather on PATH), THREADS (per run; default half
# the CPUs), SEED (42: data order and dropout; the model's initialisation is seeded by the model
# config), EVAL_STEPS (100), LOGGING_STEPS (10), LENGTHS (256,512,1024,2048).
# Writes OUT/workspace (the runs), OUT/{baseline,abspe}.log, OUT/compare.txt, OUT/compare_report.html.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
steps=${2:-600}
fg=${FORGATHER:-forgather}
threads=${THREADS:-$(($(nproc) / 2))}
lengths=${LENGTHS:-256,512,1024,2048}
: "${FORGATHER_TINYSTORIES:?set it to the folder holding train.txt and valid.txt}"
export FORGATHER_TINYSTORIES

ws=$out/workspace
rm -rf "$ws"
cp -r "$repo/examples/external_workspace_example" "$ws"
rm -rf "$ws/alibi_glu_project/output_models"
cd "$ws/alibi_glu_project"

# The project trains on train[:10%]; the experiment takes the whole split, one epoch per 600 steps.
epochs=$(((steps + 599) / 600))
settings=(--set train_dataset_split.split=train --set "trainer_args.num_train_epochs=$epochs"
  --set "trainer_args.seed=${SEED:-42}"
  --set "trainer_args.eval_steps=${EVAL_STEPS:-100}"
  --set "trainer_args.logging_steps=${LOGGING_STEPS:-10}")

# Train the tokenizer once, before the two runs would race to do it.
"$fg" -t baseline.yaml "${settings[@]}" train --dry-run --max-steps "$steps" >"$out/plan.txt"
echo "runs: $steps steps each, $threads threads each, on $FORGATHER_TINYSTORIES"
start=$(date +%s)
OMP_NUM_THREADS=$threads "$fg" -t baseline.yaml "${settings[@]}" train --max-steps "$steps" \
  >"$out/baseline.log" 2>&1 &
alibi=$!
OMP_NUM_THREADS=$threads "$fg" -t abspe_comparison.yaml "${settings[@]}" train \
  --max-steps "$steps" >"$out/abspe.log" 2>&1 &
abspe=$!
status=0
wait "$alibi" || status=$?
wait "$abspe" || status=$?
echo "training: $(($(date +%s) - start)) s wall for both runs (exit status $status)"
tail -n 2 "$out/baseline.log" "$out/abspe.log"
[ "$status" = 0 ] || exit "$status"

export OMP_NUM_THREADS=$((threads * 2))
for run in output_models/*/; do "$fg" eval "$run" --lengths "$lengths"; done
"$fg" compare output_models/* --extrapolate "$lengths" --html "$out/compare_report.html" |
  tee "$out/compare.txt"
