// forgather.ml.trainer:Trainer and forgather.ml.training_script:TrainingScript. The Trainer entry
// gathers TrainingArguments + TrainerInputs (the model built through model_init, samples,
// collator, tokenizer, callbacks) and records the model's component graph for config.json.
#include "builders/builder_util.h"
#include "builders/data_components.h"
#include "builders/model_graph.h"
#include "builders/module_handle.h"
#include "builders/register_all.h"
#include "builders/train_components.h"
#include "config/materializer.h"
#include "config/plain_value.h"

namespace fg::builders {

using config::CallArgs;
using config::Object;

namespace {

std::shared_ptr<nn::CausalLM> model_arg(CallArgs& a) {
  const Object* init = a.get("model_init");
  const Object& m = init && !init->is_none() ? *init : a.required("model", 0);
  std::unique_ptr<nn::Module> module = take_module(m, "model of Trainer");
  auto* lm = dynamic_cast<nn::CausalLM*>(module.get());
  if (!lm) m.fail_expected("a causal LM (.causal_lm:CasualLM), found " + module->type_name());
  module.release();
  return std::shared_ptr<nn::CausalLM>(lm);
}

std::shared_ptr<const data::SampleSet> samples_arg(CallArgs& a, const std::string& name,
                                                   std::string& description) {
  const Object v = a.value(name, -1, Object::none());
  if (v.is_none()) return nullptr;
  auto t = v.as<TokenizedSamples>("a tokenized dataset (forgather.ml.datasets:preprocess_dataset)");
  description = t->description;
  return std::shared_ptr<const data::SampleSet>(t, t->samples.get());
}

void apply_callbacks(const Object& list, TrainerSpec& spec) {
  // Without a TextgenCallback, evaluations still print a short story from the dragon prompt.
  spec.inputs.generation.prompts = {kDragonPrompt};
  spec.inputs.generation.sampling.max_new_tokens = 40;
  if (list.is_none()) return;
  config::ObjectList items;
  if (list.type() == Object::Type::kDict)
    for (const auto& [k, v] : list.as_dict()) items.push_back(v);
  else
    items = list.as_list();
  for (const Object& item : items) {
    if (item.is_none()) continue;
    const auto cb = item.as<CallbackSpec>("a trainer callback (JsonLogger, TBLogger, ...)");
    if (!cb->log_dir.empty()) spec.args.logging_dir = cb->log_dir;
    if (cb->kind == "textgen") spec.inputs.generation = cb->generation;
    const auto& info = cb->experiment_info;
    if (info.contains("name") && info["name"].is_string()) spec.inputs.config_name = info["name"];
    if (info.contains("description") && info["description"].is_string())
      spec.inputs.config_description = info["description"];
    if (info.contains("config") && info["config"].is_string())
      spec.inputs.config_text = info["config"];
  }
}

train::OptimizerFactory optimizer_arg(const Object& f) {
  if (f.is_none()) return nullptr;
  if (f.type() != Object::Type::kCallable)
    f.fail_expected("an optimizer factory (!partial:torch.optim:AdamW)");
  return [f](std::vector<optim::NamedParameter> params) {
    auto list = std::make_shared<ParameterList>();
    list->params = std::move(params);
    CallArgs call({Object::component(list, "parameters")}, {}, f.callable_name(), f.where(),
                  f.key_path());
    auto box = f.call(call).as<OptimizerBox>("an optimizer");
    if (!box->optimizer) f.fail_expected("a fresh optimizer (the factory was already used)");
    return std::move(box->optimizer);
  };
}

Object build_trainer(CallArgs& a, config::BuildContext& ctx) {
  auto spec = std::make_shared<TrainerSpec>();
  spec->args = *a.required("args", -1)
                    .as<train::TrainingArguments>(
                        "training arguments (forgather.ml.trainer:TrainingArguments)");
  spec->inputs.model = model_arg(a);
  const Object collator = a.value("data_collator", -1, Object::none());
  if (!collator.is_none())
    spec->inputs.collator = collator.as<CollatorSpec>("a data collator")->options;
  spec->inputs.train_samples = samples_arg(a, "train_dataset", spec->train_description);
  spec->inputs.eval_samples = samples_arg(a, "eval_dataset", spec->eval_description);
  if (!spec->inputs.train_samples) a.fail("train_dataset is required");
  const Object* tok = a.get("processing_class");
  if (!tok || tok->is_none()) tok = a.get("tokenizer");
  if (tok && !tok->is_none()) spec->inputs.tokenizer = tokenizer_of(*tok, "Trainer");
  apply_callbacks(a.value("callbacks", -1, Object::none()), *spec);
  spec->inputs.optimizer_factory = optimizer_arg(a.value("optimizer_factory", -1, Object::none()));
  const Object sched = a.value("lr_scheduler_factory", -1, Object::none());
  if (!sched.is_none())
    sched.fail_expected("no lr_scheduler_factory (set lr_scheduler_type in TrainingArguments)");
  a.finish();
  if (spec->inputs.config_text.empty() && ctx.vars) {
    auto it = ctx.vars->find("pp_config");
    if (it != ctx.vars->end() && it->second.type() == Object::Type::kString)
      spec->inputs.config_text = it->second.as_string();
  }
  if (ctx.materializer) spec->inputs.model_config = model_graph_json(*ctx.materializer, ctx.vars);
  return Object::component(spec, "Trainer");
}

Object build_training_script(CallArgs& a) {
  auto s = std::make_shared<TrainingScriptSpec>();
  const Object meta = a.value("meta", -1, Object::none());
  if (!meta.is_none()) s->meta = config::object_to_json(meta);
  s->do_train = a.get_bool("do_train", -1, true);
  s->do_save = a.get_bool("do_save", -1, false);
  s->do_eval = a.get_bool("do_eval", -1, false);
  a.value("distributed_env", -1, Object::none());
  a.get_string("pp_config", -1, "");
  s->trainer =
      a.required("trainer", -1).as<TrainerSpec>("a trainer (forgather.ml.trainer:Trainer)");
  a.finish();
  return Object::component(s, "TrainingScript");
}

}  // namespace

void register_trainer(config::Registry& r) {
  config::RegistryEntry e;
  e.name = "forgather.ml.trainer:Trainer";
  e.aliases = {"forgather.ml:Trainer"};
  e.summary = "The causal-LM trainer (built by `forgather train`)";
  e.capability = config::Capability::kTraining;
  e.args = {{"args", "TrainingArguments", "", "training arguments"},
            {"model_init", "model factory", "", "builds the model (or `model`: a model)"},
            {"data_collator", "DataCollator", "None", "padding and labels"},
            {"train_dataset", "TokenizedDataset", "", "training samples"},
            {"eval_dataset", "TokenizedDataset", "None", "evaluation samples"},
            {"processing_class", "Tokenizer", "None", "saved with the model, used for samples"},
            {"callbacks", "list", "None", "JsonLogger, TBLogger, TextgenCallback"},
            {"optimizer_factory", "partial", "None", "default AdamW from args"},
            {"lr_scheduler_factory", "None", "None", "use lr_scheduler_type"}};
  e.build = [](CallArgs& a, config::BuildContext& ctx) {
    try {
      return build_trainer(a, ctx);
    } catch (const ConfigError&) {
      throw;
    } catch (const Error& err) {
      a.fail(err.what());
    }
  };
  r.add(std::move(e));
  add_entry(r, config::Capability::kTraining, "forgather.ml.training_script:TrainingScript", {},
            "The `main` target of a training config: runs the trainer",
            {{"meta", "dict", "None", "the meta output (paths)"},
             {"do_train", "bool", "True", "train"},
             {"do_save", "bool", "False", "save the model at the end"},
             {"do_eval", "bool", "False", "evaluate at the end"},
             {"distributed_env", "DistributedEnvironment", "None", "single process"},
             {"trainer", "Trainer", "", "the trainer"}},
            build_training_script);
}

}  // namespace fg::builders
