// TrainingArguments, DistributedEnvironment, the loggers (JsonLogger, TBLogger, SummaryWriter,
// TextgenCallback) and optimizer factories (torch.optim:AdamW, SGD).
#include <cstdlib>

#include "builders/builder_util.h"
#include "builders/register_all.h"
#include "builders/train_components.h"
#include "config/plain_value.h"
#include "core/strings.h"
#include "dist/communicator.h"
#include "optim/adamw.h"
#include "optim/sgd.h"

namespace fg::builders {

using config::CallArgs;
using config::Object;

namespace {

Object build_training_arguments(CallArgs& a) {
  const config::ObjectDict kw = a.rest_keywords();
  a.finish();
  nlohmann::json j = nlohmann::json::object();
  const auto& known = train::TrainingArguments::known_keys();
  for (const auto& [k, v] : kw) {
    const bool ok =
        k == "evaluation_strategy" || std::find(known.begin(), known.end(), k) != known.end();
    if (!ok) {
      const SourceLocation& at = v.where().known() ? v.where() : a.where();
      throw ConfigError("[TrainingArguments] unknown argument '" + k + "'" + did_you_mean(k, known),
                        at, a.key_path().empty() ? k : a.key_path() + "." + k);
    }
    j[k] = config::object_to_json(v);
  }
  auto args = std::make_shared<train::TrainingArguments>(
      train::TrainingArguments::from_json(j, a.where().to_string()));
  return Object::component(args, "TrainingArguments");
}

// The config's view of the run's ranks. The ranks themselves come from the launcher (mpirun,
// srun, `train --nproc`); a config's world_size, when given, is only a consistency check.
Object build_distributed(CallArgs& a) {
  const int64_t world = a.get_int("world_size", -1, -1);
  a.get_string("backend", -1, "");
  a.finish();
  const dist::RankInfo info = dist::rank_info_from_environment();
  if (world > 0 && world != info.world_size)
    a.fail("world_size " + std::to_string(world) + " differs from the " +
           std::to_string(info.world_size) + " rank(s) the launcher started");
  return Object::component(
      std::make_shared<nlohmann::json>(nlohmann::json{
          {"world_size", info.world_size}, {"rank", info.rank}, {"local_rank", info.local_rank}}),
      "DistributedEnvironment");
}

Object build_summary_writer(CallArgs& a) {
  auto w = std::make_shared<SummaryWriterSpec>();
  w->log_dir = a.required("log_dir", 0).as_string();
  if (w->log_dir.empty()) a.fail("log_dir must not be empty");
  a.finish();
  return Object::component(w, "SummaryWriter");
}

nlohmann::json info_of(const config::ObjectDict& kw) {
  nlohmann::json info = nlohmann::json::object();
  for (const auto& [k, v] : kw) info[k] = config::object_to_json(v);
  return info;
}

Object build_json_logger(CallArgs& a) {
  auto cb = std::make_shared<CallbackSpec>();
  cb->kind = "json";
  cb->experiment_info = info_of(a.rest_keywords());
  a.finish();
  return Object::component(cb, "TrainerCallback");
}

Object build_tb_logger(CallArgs& a) {
  auto cb = std::make_shared<CallbackSpec>();
  cb->kind = "tensorboard";
  cb->log_dir = a.required("summary_writer", 0)
                    .as<SummaryWriterSpec>("a SummaryWriter (torch.utils.tensorboard)")
                    ->log_dir;
  cb->experiment_info = info_of(a.rest_keywords());
  a.finish();
  return Object::component(cb, "TrainerCallback");
}

Object build_textgen(CallArgs& a) {
  auto cb = std::make_shared<CallbackSpec>();
  cb->kind = "textgen";
  const Object w = a.value("summary_writer", 0, Object::none());
  if (!w.is_none()) cb->log_dir = w.as<SummaryWriterSpec>("a SummaryWriter")->log_dir;
  const Object prompts = a.value("prompts", 1, Object::none());
  if (prompts.is_none())
    cb->generation.prompts = {kDragonPrompt};
  else if (prompts.type() == Object::Type::kString)
    cb->generation.prompts = {prompts.as_string()};
  else
    for (const Object& p : prompts.as_list()) cb->generation.prompts.push_back(p.as_string());
  const Object steps = a.value("generation_steps", 3, Object::none());
  cb->generation.generation_steps = steps.is_none() ? 0 : steps.as_int();
  auto& s = cb->generation.sampling;
  s.max_new_tokens = a.get_int("max_new_tokens", 4, 200);
  s.do_sample = a.get_bool("do_sample", -1, s.do_sample);
  s.temperature = get_float(a, "temperature", -1, s.temperature);
  s.top_k = a.get_int("top_k", -1, s.top_k);
  s.top_p = get_float(a, "top_p", -1, s.top_p);
  s.repetition_penalty = get_float(a, "repetition_penalty", -1, s.repetition_penalty);
  a.finish();
  s.validate();
  return Object::component(cb, "TrainerCallback");
}

std::vector<optim::NamedParameter> params_arg(CallArgs& a) {
  return a.required("params", 0).as<ParameterList>("the model's parameters")->params;
}

Object build_adamw(CallArgs& a) {
  optim::AdamWOptions o;
  auto params = params_arg(a);
  o.lr = a.get_double("lr", 1, 1e-3);
  const Object betas = a.value("betas", 2, Object::none());
  if (!betas.is_none()) {
    if (betas.as_list().size() != 2) betas.fail_expected("betas as a pair [beta1, beta2]");
    o.beta1 = betas.as_list()[0].as_double();
    o.beta2 = betas.as_list()[1].as_double();
  }
  o.eps = a.get_double("eps", 3, 1e-8);
  o.weight_decay = a.get_double("weight_decay", 4, 0.01);
  a.finish();
  o.validate();
  auto box = std::make_shared<OptimizerBox>();
  box->optimizer = std::make_unique<optim::AdamW>(std::move(params), o);
  return Object::component(box, "Optimizer");
}

Object build_sgd(CallArgs& a) {
  optim::SGDOptions o;
  auto params = params_arg(a);
  o.lr = a.get_double("lr", 1, 1e-3);
  o.momentum = a.get_double("momentum", 2, 0.0);
  o.dampening = a.get_double("dampening", 3, 0.0);
  o.weight_decay = a.get_double("weight_decay", 4, 0.0);
  o.nesterov = a.get_bool("nesterov", 5, false);
  a.finish();
  o.validate();
  auto box = std::make_shared<OptimizerBox>();
  box->optimizer = std::make_unique<optim::SGD>(std::move(params), o);
  return Object::component(box, "Optimizer");
}

}  // namespace

void register_train_args(config::Registry& r) {
  add_entry(r, config::Capability::kTraining, "forgather.ml.trainer:TrainingArguments",
            {"forgather.ml:TrainingArguments", "transformers:TrainingArguments"},
            "Training arguments (HF names; unknown keys are errors with did-you-mean)",
            {{"**kwargs", "HF training arguments", "",
              "output_dir, max_steps, learning_rate, ... (see docs/train.md)"}},
            build_training_arguments);
  add_entry(r, config::Capability::kTraining, "forgather.ml.distributed:DistributedEnvironment", {},
            "The process's place in a distributed run (ranks from the launcher)",
            {{"world_size", "int", "None", "checked against the launcher's"},
             {"backend", "str", "", "accepted"}},
            build_distributed);
  add_entry(r, config::Capability::kTraining, "torch.utils.tensorboard:SummaryWriter", {},
            "Where TensorBoard events go",
            {{"log_dir", "str", "", "event directory (the trainer's logging_dir)"}},
            build_summary_writer);
  add_entry(r, config::Capability::kTraining, "forgather.ml.trainer.callbacks:JsonLogger",
            {"forgather.ml.json_logger:JsonLogger"},
            "JSON training log (trainer_logs.json); keywords: experiment info",
            {{"**kwargs", "any", "", "experiment info (name, description, config, ...)"}},
            build_json_logger);
  add_entry(r, config::Capability::kTraining, "forgather.ml.trainer.callbacks:TBLogger",
            {"forgather.ml.tb_logger:TBLogger"}, "TensorBoard scalars and experiment info",
            {{"summary_writer", "SummaryWriter", "", "sets the trainer's logging_dir"},
             {"**kwargs", "any", "", "experiment info"}},
            build_tb_logger);
  add_entry(r, config::Capability::kTraining, "forgather.ml.trainer.callbacks:TextgenCallback",
            {"forgather.ml.textgen_callback:TextgenCallback"}, "Text samples at evaluations",
            {{"summary_writer", "SummaryWriter", "None", "sets logging_dir when given"},
             {"prompts", "list", "[dragon prompt]", "prompts (lowercase, like the data)"},
             {"generation_config", "None", "None", "unused"},
             {"generation_steps", "int", "None", "every N steps; None: at each evaluation"},
             {"max_new_tokens", "int", "200", "tokens per sample"}},
            build_textgen);
  add_entry(r, config::Capability::kTraining, "torch.optim:AdamW", {"forgather.ml.optim:AdamW"},
            "AdamW (use as !partial; the trainer passes the parameters)",
            {{"params", "parameters", "", "given by the trainer"},
             {"lr", "float", "0.001", "learning rate"},
             {"betas", "pair", "[0.9, 0.999]", "moment decay"},
             {"eps", "float", "1e-08", "denominator term"},
             {"weight_decay", "float", "0.01", "decoupled decay"}},
            build_adamw);
  add_entry(r, config::Capability::kTraining, "torch.optim:SGD", {"forgather.ml.optim:SGD"},
            "SGD with momentum (use as !partial)",
            {{"params", "parameters", "", "given by the trainer"},
             {"lr", "float", "0.001", "learning rate"},
             {"momentum", "float", "0", ""},
             {"dampening", "float", "0", ""},
             {"weight_decay", "float", "0", ""},
             {"nesterov", "bool", "False", ""}},
            build_sgd);
}

}  // namespace fg::builders
