#include "builders/training_run.h"

#include <fmt/format.h>

#include <ostream>

#include "core/error.h"

namespace fg::builders {

TrainerSpec apply_training_request(const TrainingScriptSpec& script,
                                   const TrainingRunRequest& request) {
  TrainerSpec spec = *script.trainer;
  if (!request.arg_overrides.empty()) {
    if (!request.arg_overrides.is_object())
      throw ConfigError("[" + request.overrides_origin + "] expected a mapping of argument names");
    nlohmann::json merged = spec.args.to_json();
    merged.update(request.arg_overrides);
    const std::vector<int> devices = spec.args.devices;
    spec.args = train::TrainingArguments::from_json(merged, request.overrides_origin);
    spec.args.devices = devices;
  }
  if (request.max_steps) spec.args.max_steps = *request.max_steps;
  spec.args.validate();
  spec.inputs.communicator = request.communicator;
  if (request.console_sink) spec.inputs.console_sink = request.console_sink;
  if (request.on_progress) spec.inputs.on_progress = request.on_progress;
  return spec;
}

TrainingRunResult run_training_script(const TrainingScriptSpec& script, const TrainerSpec& spec,
                                      train::Trainer& trainer, std::ostream& os) {
  TrainingRunResult out;
  out.output_dir = spec.args.output_dir;
  if (!script.do_train) {
    os << "do_train is False: nothing to train\n";
    return out;
  }
  out.train = trainer.train();
  out.trained = true;
  os << fmt::format("Training finished: {} steps, final loss {:.4f}, {:.1f} s\n",
                    out.train.global_step, out.train.final_loss, out.train.train_runtime);
  if (script.do_eval) {
    out.eval = trainer.evaluate();
    os << fmt::format("Eval loss {:.4f}, perplexity {:.2f}\n", out.eval->loss,
                      out.eval->perplexity);
  }
  os << "Model saved to " << spec.args.output_dir << "\n";
  return out;
}

}  // namespace fg::builders
