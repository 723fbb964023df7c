#!/usr/bin/env bash
# Data-parallel training end to end, on a scaffolded tiny project (synthetic stories, offline)
# with every dropout at 0.1:
#   1. equivalence: 20 steps at 2 ranks x batch 4 (train --nproc 2) against 1 rank x batch 8;
#      the train and eval losses agree within 1e-5 relative at every logged step;
#   2. resume under 2 ranks from checkpoint-10 repeats steps 11-20 exactly;
#   3. a resume at 1 rank x batch 8 from the 2-rank checkpoint-10 continues from the same data
#      position (steps 11-20 agree within 1e-5 relative);
#   4. ranks with different configs are refused at start-up;
#   5. SIGKILL of rank 1 mid-run: the job ends non-zero within 60 s naming rank 1, and the last
#      checkpoint is complete;
#   6. SIGINT to `train --nproc 2`: every rank stops at the same step, rank 0 saves one
#      checkpoint, each rank reports the interrupt, and the launcher exits 130;
#   7. SIGINT to the ranks that an external mpirun started: each exits 130.
#   tests/dist/ddp_train_test.sh <forgather executable> [results|failures]   (default: both)
set -euo pipefail
forgather=$(realpath "$1")
part=${2:-all}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fg_ddp.XXXXXX")
trap '[ -n "${KEEP_SCRATCH:-}" ] || rm -rf "$scratch"' EXIT
export FORGATHER_DATASET=synthetic FORGATHER_CACHE=$scratch/cache OMP_NUM_THREADS=1
# mpirun as root (CI) needs both; --nproc adds --allow-run-as-root itself.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

cd "$scratch"
"$forgather" ws create --name Lab >/dev/null
cd lab
"$forgather" project create --name Tiny >/dev/null
cd tiny
python3 - <<'PY'
import re
p = "templates/configs/default.yaml"
s = open(p).read()
swaps = [(r"hidden_size: \d+", "hidden_size: 32"), (r"num_attention_heads: \d+", "num_attention_heads: 2"),
         (r"num_hidden_layers: \d+", "num_hidden_layers: 2"), (r"dim_feedforward: \d+", "dim_feedforward: 64"),
         (r"logging_steps: \d+", "logging_steps: 1"), (r"eval_steps: \d+", "eval_steps: 10\n    max_eval_steps: 2"),
         (r"save_steps: \d+", "save_steps: 10"), (r"warmup_steps: \d+", "warmup_steps: 5")]
for pat, new in swaps:
    s, n = re.subn(pat, new, s)
    assert n == 1, f"the scaffolded config no longer matches {pat}"
drop = "".join(f"\n    {k}_dropout: 0.1" for k in ("embedding", "layer", "residual", "attention", "activation"))
s = re.sub(r"(max_sequence_length: \d+)", r"\1" + drop, s)
open("templates/configs/one.yaml", "w").write(s)
two = s.replace("batch_size: 8", "batch_size: 4").replace('model_name = "default_model"', 'model_name = "two"')
assert two.count("batch_size: 4") == 2 and '"two"' in two
open("templates/configs/two.yaml", "w").write(two)
PY

logs() { ls -t "$1"/runs/*/trainer_logs.json | head -1; }  # the newest run's
# compare.py A B FIRST LAST TOLERANCE: train/eval losses of steps FIRST..LAST.
cat > compare.py <<'PY'
import json, sys
def losses(path, first, last):
    out = {}
    for r in json.load(open(path)):
        step = r.get("global_step", r.get("step"))
        for key in ("loss", "eval_loss"):
            if key in r and first <= step <= last:
                out[(step, key)] = r[key]
    return out
a_path, b_path, first, last, tol = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
a, b = losses(a_path, first, last), losses(b_path, first, last)
if set(a) != set(b) or not a:
    sys.exit(f"FAIL: logged steps differ: {sorted(set(a) ^ set(b))}")
worst = max(abs(a[k] - b[k]) / abs(a[k]) for k in a)
print(f"{len(a)} losses of steps {first}-{last}: worst relative difference {worst:.2e} (limit {tol:g})")
if worst > tol:
    for k in sorted(a):
        print(k, a[k], b[k])
    sys.exit("FAIL: losses differ")
PY
json_logs() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$1"; }

if [ "$part" != failures ]; then
echo "== 1 rank x batch 8"
"$forgather" -t one.yaml train --max-steps 20 >one.out 2>&1 || { cat one.out; exit 1; }
echo "== 2 ranks x batch 4"
"$forgather" -t two.yaml train --max-steps 20 --nproc 2 >two.out 2>&1 || { cat two.out; exit 1; }
[ "$(grep -c 'Training finished' two.out)" = 1 ] || { echo "FAIL: expected rank 0 alone to report"; exit 1; }
python3 compare.py "$(logs output_models/default_model)" "$(logs output_models/two)" 1 20 1e-5
cp "$(logs output_models/two)" two_full.json

echo "== resume under 2 ranks from checkpoint-10"
rm -rf output_models/two/checkpoints/checkpoint-20
"$forgather" -t two.yaml train --max-steps 20 --nproc 2 --resume >resume.out 2>&1 || { cat resume.out; exit 1; }
grep -q "resumed from .*checkpoint-10" resume.out || { echo "FAIL: did not resume"; exit 1; }
python3 compare.py two_full.json "$(logs output_models/two)" 11 20 0

echo "== resume at 1 rank x batch 8 from the 2-rank checkpoint-10"
rm -rf output_models/default_model
"$forgather" -t one.yaml train --max-steps 20 --resume "$PWD/output_models/two/checkpoints/checkpoint-10" \
  >one_resume.out 2>&1 || { cat one_resume.out; exit 1; }
python3 compare.py two_full.json "$(logs output_models/default_model)" 11 20 1e-5

echo "== ranks with different configs are refused"
launcher=(mpirun --oversubscribe)
set +e
"${launcher[@]}" -np 1 "$forgather" -t two.yaml train --max-steps 20 --overwrite-output-dir : \
  -np 1 "$forgather" -t two.yaml train --max-steps 21 --overwrite-output-dir >mismatch.out 2>&1
rc=$?
set -e
[ "$rc" != 0 ] || { cat mismatch.out; echo "FAIL: mismatched ranks were not refused"; exit 1; }
grep -q "rank(s) 1 run a different config or forgather binary" mismatch.out ||
  { cat mismatch.out; echo "FAIL: the refusal does not name the rank"; exit 1; }
echo "mismatched config refused (exit $rc)"
fi
[ "$part" != results ] || { echo "PASS"; exit 0; }

# Starts a long 2-rank run in the background (by `train --nproc 2`, or by the command given after
# the output file); sets $launcher once checkpoint-10 exists.
start_long_run() {
  local out=$1
  shift
  rm -rf output_models/two
  if [ $# = 0 ]; then set -- "$forgather" -t two.yaml train --max-steps 2000 --nproc 2; fi
  "$@" >"$out" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do
    [ -e output_models/two/checkpoints/checkpoint-10/trainer_state.json ] && return 0
    sleep 0.1
  done
  cat "$out"; echo "FAIL: no checkpoint-10 within 60 s"; exit 1
}
# Waits at most 60 s for $launcher; sets $rc to its exit status.
wait_launcher() {
  for _ in $(seq 600); do
    kill -0 "$launcher" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$launcher" 2>/dev/null; then
    kill -9 "$launcher"; echo "FAIL: the job still runs 60 s after $1"; exit 1
  fi
  set +e; wait "$launcher"; rc=$?; set -e
}

echo "== SIGKILL of rank 1"
start_long_run kill.out
victim=
# The ranks are mpirun's children, and mpirun is the launcher's child.
for mpirun_pid in $(ps -o pid= --ppid "$launcher"); do
  for child in $(ps -o pid= --ppid "$mpirun_pid"); do
    if tr '\0' '\n' <"/proc/$child/environ" 2>/dev/null | grep -q '^OMPI_COMM_WORLD_RANK=1$'; then
      victim=$child
    fi
  done
done
[ -n "$victim" ] || { echo "FAIL: rank 1 not found among mpirun's children"; exit 1; }
kill -9 "$victim"
wait_launcher "rank 1 was killed"
[ "$rc" != 0 ] || { echo "FAIL: the job exited 0 after a rank was killed"; exit 1; }
grep -q "rank 1 .*exited on signal 9" kill.out || { cat kill.out; echo "FAIL: rank 1 not named"; exit 1; }
for f in trainer_state.json model.safetensors; do
  [ -s "output_models/two/checkpoints/checkpoint-10/$f" ] || { echo "FAIL: checkpoint-10 lacks $f"; exit 1; }
done
echo "killed rank 1: job exited $rc, checkpoint-10 intact"

echo "== SIGINT to the launcher"
start_long_run int.out
kill -INT "$launcher"
wait_launcher "SIGINT"
[ "$rc" = 130 ] || { cat int.out; echo "FAIL: the launcher exited $rc after SIGINT, not 130"; exit 1; }
grep -q "interrupted by signal .* checkpoint saved" int.out || { cat int.out; echo "FAIL: no checkpoint on interrupt"; exit 1; }
grep -q "rank 1 stopped with the interrupted run" int.out || { cat int.out; echo "FAIL: rank 1 did not stop with it"; exit 1; }
echo "interrupted: rank 0 saved $(ls output_models/two/checkpoints | tail -1), launcher exited $rc"

echo "== SIGINT to the ranks of an external mpirun"
# Each rank runs under a shell that writes the rank's own exit status to a file (output could be
# lost: mpirun ends the job as soon as one rank exits non-zero). The shell ignores the signals
# mpirun sends its job, so it lives to write; forgather installs its own handlers.
rm -f status.0 status.1
start_long_run ext_int.out mpirun -np 2 --oversubscribe sh -c \
  'trap "" INT TERM; "$0" "$@"; echo $? >"status.$OMPI_COMM_WORLD_RANK"' \
  "$forgather" -t two.yaml train --max-steps 2000
# As docs/distributed.md advises: the signal goes to the ranks (mpirun, given it, sends SIGTERM
# and SIGKILL 1 s later).
pkill -INT -f "^$forgather -t two.yaml train"
wait_launcher "SIGINT to the ranks"
for rank in 0 1; do
  [ "$(cat "status.$rank" 2>/dev/null)" = 130 ] ||
    { cat ext_int.out; echo "FAIL: rank $rank exited '$(cat "status.$rank" 2>/dev/null)', not 130"; exit 1; }
done
echo "ranks of an external mpirun interrupted: both exited 130 (mpirun exited $rc)"
echo "PASS"
