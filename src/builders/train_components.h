#pragma once
// What the training builders produce: the trainer's arguments and inputs gathered from the
// config (the Trainer itself is made by `forgather train`, after command-line overrides), the
// training script around it, the loggers' settings and optimizer factories.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "optim/optimizer.h"
#include "train/trainer.h"
#include "train/training_arguments.h"

namespace fg::builders {

struct SummaryWriterSpec {
  std::string log_dir;
};

// JsonLogger / TBLogger / TextgenCallback: settings the trainer applies (it always writes the
// JSON and TensorBoard logs).
struct CallbackSpec {
  std::string kind;  // "json", "tensorboard", "textgen"
  std::string log_dir;
  nlohmann::json experiment_info;
  train::TextGenerationSettings generation;
};

struct TrainerSpec {
  train::TrainingArguments args;
  train::TrainerInputs inputs;
  std::string train_description;  // dataset summaries for the plan
  std::string eval_description;
};

struct TrainingScriptSpec {
  std::shared_ptr<TrainerSpec> trainer;
  bool do_train = true;
  bool do_save = false;
  bool do_eval = false;
  nlohmann::json meta;
};

// The parameters an optimizer factory receives, and the optimizer it returns.
struct ParameterList {
  std::vector<optim::NamedParameter> params;
};
struct OptimizerBox {
  std::unique_ptr<optim::Optimizer> optimizer;
};

inline constexpr const char* kDragonPrompt =
    "once upon a time, there was a little dragon who loved to read stories";

}  // namespace fg::builders
