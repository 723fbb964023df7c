#!/usr/bin/env bash
# Runs every command of examples/external_workspace_example/README.md as written (issue 6), in a
# scratch copy of the workspace, offline on the embedded synthetic stories. The only changes:
# `train` lines get `--max-steps 2` and `eval` lines `--max-blocks 2`, to keep the run short,
# and on a machine without a usable GPU `-d 0` becomes `-d cpu` (the refusal of `-d 0` there is
# tested by tests/cli/device_selection_test.cpp).
# Each ```bash block runs in its own shell from the workspace root, in README order; afterwards
# the output directories, logs and TensorBoard files must be where the README says.
#   tests/examples/example_readme_test.sh <forgather executable>
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
forgather=$(realpath "$1")
readme=$repo/examples/external_workspace_example/README.md
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fg_example_readme.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# `forgather` on PATH is the build under test; `tensorboard` is a stand-in that records its
# arguments, so `forgather tb` is checked without a server. Tokenizers go to a scratch
# FORGATHER_DIR that shares the real template library.
mkdir -p "$scratch/bin" "$scratch/fgdir"
ln -s "$forgather" "$scratch/bin/forgather"
printf '#!/bin/sh\necho "$@" > "%s/tensorboard_args"\n' "$scratch" >"$scratch/bin/tensorboard"
chmod +x "$scratch/bin/tensorboard"
ln -s "$repo/templatelib" "$scratch/fgdir/templatelib"
export PATH="$scratch/bin:$PATH" FORGATHER_DIR="$scratch/fgdir" FORGATHER_DATASET=synthetic
unset FORGATHER_TINYSTORIES

ws=$scratch/external_workspace_example
mkdir -p "$ws"
# Runs someone made in the source tree stay out of the copy.
tar -C "$repo/examples/external_workspace_example" --exclude=output_models -cf - . | tar -C "$ws" -xf -

# The ```bash blocks, one file each, with continuation lines joined and the short-run flags added.
gpu=0
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then gpu=1; fi
/usr/bin/env python3 - "$readme" "$scratch/blocks" "$gpu" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
gpu = sys.argv[3] == "1"
os.makedirs(sys.argv[2])
blocks = re.findall(r"^```bash\n(.*?)^```", text, re.S | re.M)
for i, block in enumerate(blocks):
    lines = block.replace("\\\n", " ").splitlines()
    out = []
    for line in lines:
        code = line.split(" # ")[0].rstrip() if not line.lstrip().startswith("#") else ""
        if re.match(r"forgather .*\btrain\b", code):
            code += " --max-steps 2"
            if not gpu:
                code = re.sub(r"(\s-d)\s+[0-9,]+(?=\s|$)", r"\1 cpu", code)
        elif re.match(r"forgather eval\b", code):
            code += " --max-blocks 2"
        out.append(code)
    with open(os.path.join(sys.argv[2], f"{i:02d}.sh"), "w") as f:
        f.write("set -euxo pipefail\n" + "\n".join(out) + "\n")
print(f"{len(blocks)} bash blocks")
PY

for block in "$scratch"/blocks/*.sh; do
  echo "=== README block $(basename "$block")"
  (cd "$ws" && bash "$block") || { echo "FAIL: README block $(basename "$block")"; exit 1; }
done

fail=0
expect() { if [ ! -e "$1" ]; then echo "FAIL: missing $1"; fail=1; fi; }
runs=$ws/alibi_glu_project/output_models
for model in baseline_alibi_glu higher_lr_alibi_glu larger_batch_alibi_glu low_wd_alibi_glu abspe_glu; do
  expect "$runs/$model"
done
for model in baseline_alibi_glu abspe_glu; do
  for f in config.json model.safetensors tokenizer_config.json eval_lengths.json; do
    expect "$runs/$model/$f"
  done
done
for dir in "$runs"/*/; do
  expect "$(ls -d "$dir"runs/log_*/trainer_logs.json 2>/dev/null | head -1)"
  expect "$(ls -d "$dir"runs/log_*/events.out.tfevents.* 2>/dev/null | head -1)"
  expect "$(ls -d "$dir"checkpoints/checkpoint-2 2>/dev/null | head -1)"
done
expect "$ws/alibi_glu_project/compare_report.html"
grep -q -- "--logdir output_models" "$scratch/tensorboard_args" ||
  { echo "FAIL: forgather tb did not start tensorboard on output_models"; fail=1; }
expect "$scratch/my_new_workspace/forgather_workspace/meta_defaults.yaml"
expect "$scratch/my_new_workspace/my_project/templates/configs/default.yaml"
[ "$fail" = 0 ] && echo "example README: every command ran"
exit "$fail"
