#pragma once
// Running a config's training script with the caller's overrides over its TrainingArguments:
// what `forgather train` does after parsing its flags, and what forgather.Project.train() does
// with its keyword arguments.
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "builders/train_components.h"
#include "dist/communicator.h"
#include "train/progress.h"
#include "train/trainer.h"

namespace fg::builders {

struct TrainingRunRequest {
  std::optional<int64_t> max_steps;
  // TrainingArguments keys over the config's values; an unknown key is an error naming `origin`.
  nlohmann::json arg_overrides = nlohmann::json::object();
  std::string overrides_origin = "overrides";
  dist::Communicator* communicator = nullptr;                 // not owned; null: this process alone
  std::function<void(const std::string& line)> console_sink;  // see TrainerInputs
  std::function<void(const train::ProgressStats& stats)> on_progress;
};

struct TrainingRunResult {
  bool trained = false;  // false: the script's do_train is False
  train::TrainResult train;
  std::optional<train::EvalResult> eval;
  std::string output_dir;
};

// The script's trainer spec with the request applied and the arguments validated.
TrainerSpec apply_training_request(const TrainingScriptSpec& script,
                                   const TrainingRunRequest& request);

// Trains `trainer` (made from `spec`) when the script's do_train is set, then evaluates when
// do_eval is set; reports the outcome on `os`. Training errors propagate.
TrainingRunResult run_training_script(const TrainingScriptSpec& script, const TrainerSpec& spec,
                                      train::Trainer& trainer, std::ostream& os);

}  // namespace fg::builders
