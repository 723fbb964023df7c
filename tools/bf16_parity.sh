#!/usr/bin/env bash
# bf16 mixed precision against fp32 (issue 11): trains the example model twice with
# bench/learning_run on the same data, seed and batches, once in fp32 and once with bf16: true,
# prints both eval-loss curves side by side with their difference and the tokens/s of each, writes
# OUT_DIR/bf16_parity.md, and exits 1 when the final eval losses differ by more than 0.05.
#   tools/bf16_parity.sh [build_dir] [steps]       (defaults: build/dev 600)
# Environment: OUT_DIR (/tmp/bf16_parity), EVAL_STEPS (100), LAYERS (6; fewer for a quick check),
#   THREADS (2 per run), MAX_VALID (500), DATA (<repo>/../shared/data/tinystories-lc). Exit 77 when the data is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
steps=${2:-600}
out=${OUT_DIR:-/tmp/bf16_parity}
data=${DATA:-$(pwd)/../shared/data/tinystories-lc}
if [ ! -f "$data/train.txt" ]; then echo "no $data/train.txt: skipped"; exit 77; fi
mkdir -p "$out"

run() {  # run NAME BF16
  "$build/bench/learning_run" --data "$data" --output "$out/$1" --tokenizer "$out/tokenizer" \
    --steps "$steps" --eval-steps "${EVAL_STEPS:-100}" --logging-steps 10 \
    --threads "${THREADS:-2}" --max-valid "${MAX_VALID:-500}" --layers "${LAYERS:-6}" \
    --bf16 "$2" >"$out/$1.log" 2>&1
}
# One after the other: the fp32 run trains the shared tokenizer, the bf16 run reuses it.
run fp32 0
run bf16 1
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
f, b = (json.load(open(f"{out}/{n}/summary.json")) for n in ("fp32", "bf16"))
bf = {e["step"]: e["loss"] for e in b["eval"]}
lines = [f"# bf16 mixed precision vs fp32: {f['steps']} steps, {f['layers']} layers, "
         f"{f['parameters']:,} parameters, {f['threads']} threads", "",
         "| step | fp32 eval loss | bf16 eval loss | bf16 - fp32 |", "|---:|---:|---:|---:|"]
worst = 0.0
for e in f["eval"]:
    if e["step"] in bf:
        d = bf[e["step"]] - e["loss"]
        worst = max(worst, abs(d))
        lines.append(f"| {e['step']} | {e['loss']:.4f} | {bf[e['step']]:.4f} | {d:+.4f} |")
final = b["final_eval_loss"] - f["final_eval_loss"]
lines += ["", f"final difference {final:+.4f} (allowed 0.05), largest at any evaluation {worst:.4f}",
          f"tokens/s: fp32 {f['tokens_per_second']:.1f}, bf16 {b['tokens_per_second']:.1f} "
          f"(ratio {b['tokens_per_second'] / f['tokens_per_second']:.2f}; one run after the other)",
          "", "acceptance: " + ("PASS" if abs(final) <= 0.05 else "FAIL")]
text = "\n".join(lines) + "\n"
open(f"{out}/bf16_parity.md", "w").write(text)
print(text, end="")
sys.exit(0 if abs(final) <= 0.05 else 1)
PY
