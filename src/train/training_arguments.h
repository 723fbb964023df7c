#pragma once
// Trainer settings with Hugging Face names (spec-ml §5.1). Parsed from a JSON object so that the
// config layer, the CLI (--set) and tests all share one validating path: an unknown key is an
// error with a "did you mean", and numbers written as strings ("3e-4") are accepted.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fg::train {

enum class IntervalStrategy { No, Steps, Epoch };

struct TrainingArguments {
  std::string output_dir = "tmp_trainer";
  std::string logging_dir;  // "" -> <output_dir>/runs/<time>_<host>
  int64_t num_train_epochs = 1;
  int64_t max_steps = -1;  // >= 0 caps epochs * steps_per_epoch
  int64_t per_device_train_batch_size = 16;
  int64_t per_device_eval_batch_size = 16;
  int64_t gradient_accumulation_steps = 1;

  double learning_rate = 5e-5;
  double weight_decay = 0.0;
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  double adam_epsilon = 1e-8;
  double max_grad_norm = 0.0;  // <= 0: no clipping (the original's None)
  std::string lr_scheduler_type = "linear";
  int64_t warmup_steps = 0;
  double warmup_ratio = 0.0;  // used when warmup_steps == 0 (a C++ addition)

  IntervalStrategy logging_strategy = IntervalStrategy::Steps;
  int64_t logging_steps = 50;
  bool logging_first_step = false;
  IntervalStrategy eval_strategy = IntervalStrategy::No;
  int64_t eval_steps = 100;
  int64_t eval_delay = 0;
  int64_t max_eval_steps = -1;
  IntervalStrategy save_strategy = IntervalStrategy::Steps;
  int64_t save_steps = 1000;
  int64_t save_total_limit = 2;
  bool save_safetensors = true;
  bool save_optimizer_state = true;
  bool save_scheduler_state = true;
  bool save_dataset_state = true;
  bool save_rng_state = true;
  bool overwrite_output_dir = false;
  // "" = start fresh; "latest" = newest checkpoint in output_dir; otherwise a checkpoint path.
  std::string resume_from_checkpoint;

  int64_t seed = -1;  // -1: seed from the clock (not reproducible), as the original
  int64_t dataloader_num_workers = 0;
  bool dataloader_pin_memory = true;  // accepted; a no-op on the CPU
  bool dataloader_drop_last = false;
  std::vector<int> devices;  // -d/--devices selection, kept for the CUDA backend
  // bf16 mixed precision (HF's `bf16`): GEMMs in bf16 with f32 accumulation under autocast;
  // parameters, gradients, optimizer state and checkpoints stay f32 (tensor/autocast.h).
  bool bf16 = false;
  // HF's `tf32`: f32 GEMMs on TF32 tensor cores on a CUDA device (CudaBackend::set_tf32).
  // Accepted on the CPU, where it changes nothing (HF refuses it without an Ampere GPU; a config
  // here travels between machines, so --dry-run notes it instead).
  bool tf32 = false;

  // Parses `object` (a JSON object of HF-named keys) over the defaults. `origin` names where the
  // values came from (a file:line or "--set") for error messages.
  static TrainingArguments from_json(const nlohmann::json& object, const std::string& origin = "");
  nlohmann::json to_json() const;
  // Cross-field checks (positive batch sizes, known scheduler, step counts, ...).
  void validate() const;

  static const std::vector<std::string>& known_keys();
};

std::string to_string(IntervalStrategy s);
// "fp32", or bf16 mixed precision and what stays f32 (for plans and --dry-run).
std::string precision_description(bool bf16);
// "off", or "on ..." and whether it applies to this run's device (for plans and --dry-run).
std::string tf32_description(bool tf32, bool on_cuda);

}  // namespace fg::train
