#!/usr/bin/env bash
# The prepared script for a short session on a GPU machine (docs/cuda.md): builds the cuda preset
# with every core, runs the CUDA tests (ctest -L cuda, which must RUN there, not skip; the NCCL
# communicator's test among them), a few training steps through the NCCL path against the plain
# 1-GPU run (docs/distributed.md), a 100-step loss curve on the GPU (graph-replayed, with dropout)
# against the CPU's, the training-step benchmark on device 0 at 8x512 in f32, TF32
# and bf16 mixed precision (bf16 GEMMs and the bf16 tensor-core attention), the fused attention
# alone in f32 and bf16, and the PyTorch peer on the same GPU;
# writes everything to one summary file.
#   tools/gpu_check.sh [SUMMARY]      (default build/cuda/gpu_check_summary.txt)
# Fails loudly: a missing tool or GPU stops it at once; every step that fails is listed at the end
# and makes the exit status 1.
set -uo pipefail
cd "$(dirname "$0")/.."
summary=${1:-build/cuda/gpu_check_summary.txt}
mkdir -p "$(dirname "$summary")"
: >"$summary"
failed=()
logs=$(dirname "$summary")/gpu_check_logs
rm -rf "$logs" && mkdir -p "$logs"

die() {
  echo "gpu_check: $*" | tee -a "$summary" >&2
  exit 1
}
note() { echo "$*" | tee -a "$summary"; }

# A step: its command line, exit status, wall time and the output's last lines go to the summary.
step() {
  local name=$1
  shift
  note "=== $name: $*"
  local start=$SECONDS log=$logs/$name.log
  "$@" >"$log" 2>&1
  local rc=$?
  tail -n 40 "$log" | tee -a "$summary"
  note "--- $name: exit $rc, $((SECONDS - start)) s"
  [[ $rc -eq 0 ]] || failed+=("$name (exit $rc)")
  return $rc
}

command -v nvidia-smi >/dev/null || die "nvidia-smi not found: no NVIDIA driver on this machine"
nvidia-smi -L >>"$summary" 2>&1 || die "nvidia-smi -L failed: the driver sees no GPU"
if ! command -v nvcc >/dev/null; then
  [[ -x /usr/local/cuda/bin/nvcc ]] || die "nvcc not found (CUDA 13 toolkit)"
  export CUDACXX=/usr/local/cuda/bin/nvcc
fi
note "host: $(hostname), $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null)"

jobs=$(nproc)
step configure cmake --preset cuda || die "configure failed (see $summary)"
step build cmake --build --preset cuda -j "$jobs" --target forgather test_cuda test_nccl \
  train_step bench_attention_cuda ||
  die "build failed (see $summary)"

# On a GPU machine every cuda test must run: the backend refuses no op of the table any more
# (the fused attention in f32 and bf16 and the bf16 GEMMs are written), so any skip is a failure.
step ctest-cuda ctest --preset cuda -L cuda -j 1 --timeout 600 --output-on-failure
skips=$(grep -c "(Skipped)" "$logs/ctest-cuda.log")
note "ctest-cuda: $skips skipped"
[[ $skips -eq 0 ]] || failed+=("ctest-cuda ($skips tests skipped on a GPU)")

# The example at a small size (hidden 96 = 6 heads of 16, 2 layers, a 300-token tokenizer kept under DIR) on its
# first ROWS training rows, logging every step, for the runs that compare two paths:
#   small_example ARRAY_NAME DIR ROWS   (fills the named array with the CLI's arguments)
small_example() {
  local -n args=$1
  args=(-p examples/external_workspace_example/alibi_glu_project -t baseline.yaml
    --set "tokenizer.path=$2/tok" --set tokenizer.vocab_size=300 --set "tokenizer.split=train[:300]"
    --set "train_dataset_split.split=train[:$3]" --set model_config.hidden_size=96
    --set model_config.num_hidden_layers=2 --set trainer_args.logging_steps=1
    --set trainer_args.dataloader_num_workers=0)
}

# The NCCL path in a world of one against the plain run: the same 5 steps of a small model on
# device 0, plain and with FG_NCCL=1 (gradients through NCCL buckets) under mpirun -np 1; the
# logged losses must agree (1e-5 relative: the embedding's backward adds by atomics, so two GPU
# runs agree to rounding, not bit for bit).
nccl_train_compare() {
  local fg=$PWD/build/cuda/src/cli/forgather dir=$logs/nccl_train
  local -a common
  small_example common "$dir" 64
  local -a launcher=()
  if command -v mpirun >/dev/null; then
    launcher=(mpirun -np 1 --allow-run-as-root)
  else
    echo "no mpirun here: the NCCL path runs without MPI (a world of one needs none)"
  fi
  mkdir -p "$dir"
  FORGATHER_DATASET=synthetic "$fg" "${common[@]}" --set "trainer_args.output_dir=$dir/plain" \
    --set "summary_writer.log_dir=$dir/plain/runs/x" train -d 0 --max-steps 5 || return 1
  FORGATHER_DATASET=synthetic FG_NCCL=1 "${launcher[@]}" "$fg" "${common[@]}" \
    --set "trainer_args.output_dir=$dir/nccl" --set "summary_writer.log_dir=$dir/nccl/runs/x" \
    train -d 0 --max-steps 5 || return 1
  python3 tools/compare_trainer_losses.py "$(find "$dir/plain" -name trainer_logs.json | head -1)" \
    "$(find "$dir/nccl" -name trainer_logs.json | head -1)" --rel-limit 1e-5
}
step nccl-train nccl_train_compare

# Issue 14's curve check: 100 steps of the example (dropout 0.1, a small model) on the CPU and on
# device 0, the same batches. The GPU run records its step as a graph and replays it with fresh
# dropout masks (docs/cuda.md), so its curve must stay within 0.02 of the CPU's, and the first
# 5 steps must agree to rounding (1e-4 relative: replayed masks equal to the CPU's, not frozen).
cpu_gpu_curve() {
  local fg=$PWD/build/cuda/src/cli/forgather dir=$logs/curve
  local -a common
  small_example common "$dir" 1000
  mkdir -p "$dir"
  FORGATHER_DATASET=synthetic "$fg" "${common[@]}" --set "trainer_args.output_dir=$dir/cpu" \
    --set "summary_writer.log_dir=$dir/cpu/runs/x" train -d cpu --max-steps 100 || return 1
  FORGATHER_DATASET=synthetic "$fg" "${common[@]}" --set "trainer_args.output_dir=$dir/gpu" \
    --set "summary_writer.log_dir=$dir/gpu/runs/x" train -d 0 --max-steps 100 \
    2>&1 | tee "$dir/gpu.log" || return 1
  grep -q "recorded the training step as a graph" "$dir/gpu.log" ||
    { echo "FAIL: the GPU run did not record its step as a graph"; return 1; }
  local cpu_log gpu_log
  cpu_log=$(find "$dir/cpu" -name trainer_logs.json | head -1)
  gpu_log=$(find "$dir/gpu" -name trainer_logs.json | head -1)
  python3 tools/compare_trainer_losses.py "$cpu_log" "$gpu_log" --abs-limit 0.02 &&
    python3 tools/compare_trainer_losses.py "$cpu_log" "$gpu_log" --first 5 --rel-limit 1e-4
}
step cpu-gpu-curve cpu_gpu_curve

bench=build/cuda/bench/train_step
step train-step-f32 "$bench" -d 0 --batch 8 --seq 512 --steps 5 --warmup 2
step train-step-tf32 "$bench" -d 0 --tf32 --batch 8 --seq 512 --steps 5 --warmup 2
step train-step-bf16 "$bench" -d 0 --bf16 --batch 8 --seq 512 --steps 5 --warmup 2
# The fused attention alone (B=8, H=6, Dh=48; T 256..1024), f32 (BM_Cuda*<false>) and bf16 on
# tensor cores (<true>), GFLOP/s as bench_attention counts it.
step attention-cuda build/cuda/bench/bench_attention_cuda

peer=tools/pytorch_peer.py
py=python3
[[ -x build/venv/bin/python ]] && py=build/venv/bin/python  # scripts/python-deps.sh's venv
if $py -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  step peer-f32 "$py" "$peer" --device cuda --batch 8 --seq 512 --steps 5 --warmup 2
  step peer-tf32 "$py" "$peer" --device cuda --tf32 --batch 8 --seq 512 --steps 5 --warmup 2
  step peer-bf16 "$py" "$peer" --device cuda --bf16 --batch 8 --seq 512 --steps 5 --warmup 2
else
  note "peer: torch with CUDA is not importable here"
  failed+=("peer (no torch with CUDA)")
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  note "gpu_check: FAILED steps: ${failed[*]}"
  echo "gpu_check: summary in $summary" >&2
  exit 1
fi
note "gpu_check: every step passed"
echo "gpu_check: summary in $summary"
