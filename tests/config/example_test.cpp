// The example workspace against the template library: every config renders and parses, and
// materialising `main` with recording stand-ins (test types registered under the constructor
// names) shows the wiring: hyper-parameters as numbers, model bits bound from model_config.
#include <gtest/gtest.h>

#include "config/project.h"

namespace fg::config {
namespace {

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";

const std::vector<std::string> kConfigs = {"abspe_comparison.yaml", "baseline.yaml",
                                           "higher_lr.yaml", "larger_batch.yaml",
                                           "low_weight_decay.yaml"};

// Records a call: {"_ctor": name, "args": [...], <kwargs>...}.
void add_recorder(Registry& r, const std::string& name) {
  r.add(name, {}, "test recorder", [name](CallArgs& a) {
    ObjectDict d{{"_ctor", Object::string(name)}, {"args", Object::list(a.rest_positional(0))}};
    for (auto& kv : a.rest_keywords()) d.push_back(kv);
    return Object::dict(d);
  });
}

Registry recording_registry() {
  Registry r;
  register_builtins(r);
  for (const char* n : {"forgather.ml.distributed:DistributedEnvironment",
                        "forgather.ml.training_script:TrainingScript",
                        "forgather.ml.trainer:Trainer",
                        "forgather.ml.trainer:TrainingArguments",
                        "forgather.ml.trainer.callbacks:JsonLogger",
                        "forgather.ml.trainer.callbacks:TBLogger",
                        "torch.utils.tensorboard:SummaryWriter",
                        "forgather.ml.data_collator:DataCollatorForCausalLM",
                        "forgather.ml.datasets:preprocess_dataset",
                        "datasets:load_dataset",
                        "torch.nn:Linear",
                        "torch.nn:LayerNorm",
                        "torch.nn:SiLU",
                        ".causal_loss:CausalLoss",
                        ".feedforward_layer:FeedforwardLayer",
                        ".glu_feedforward:GLUFeedforwardLayer",
                        ".causal_multihead_attn:CausalMultiheadAttn",
                        ".causal_alibi_attn:CausalAlibiAttn",
                        ".post_ln_layer:PostLNLayer",
                        ".layer_stack:LayerStack",
                        ".sinusoidal_pe:SinusoidalPE",
                        ".null_pe:NullPE",
                        ".input_encoder:InputEncoder",
                        ".init_weights:simple_weight_init",
                        ".causal_lm:CasualLM"})
    add_recorder(r, n);
  r.add("forgather.ml.tokenizer:load_or_train_bpe", {}, "test tokenizer: a list of 2000 ids",
        [](CallArgs& a) {
          const int64_t n = a.get_int("vocab_size", -1, 0);
          a.rest_keywords();
          return Object::list(ObjectList(n, Object::integer(0)));
        });
  return r;
}

TEST(Example, EveryConfigRendersAndParses) {
  for (const auto& name : kConfigs) {
    ProjectOptions opts;
    opts.config_name = name;
    Project p(kProject, opts);
    const auto targets = p.graph().targets();
    for (const char* t : {"tokenizer", "model", "train_dataset", "trainer_args", "trainer", "meta",
                          "main", "dynamic_args"})
      EXPECT_NE(std::find(targets.begin(), targets.end(), t), targets.end()) << name << " " << t;
  }
}

TEST(Example, MetaIsReadFromMetaYaml) {
  const MetaConfig meta = load_meta_config(kProject);
  EXPECT_EQ(meta.name, "External Workspace ALiBi GLU");
  EXPECT_EQ(meta.default_config, "baseline.yaml");
  std::vector<std::string> names;
  for (const auto& c : enumerate_configs(meta)) names.push_back(c.name);
  EXPECT_EQ(names, kConfigs);
}

const Object& at(const Object& d, const std::string& key) {
  const Object* v = d.find(key);
  if (!v) throw std::runtime_error("missing key " + key);
  return *v;
}

TEST(Example, BaselineHyperParametersArriveAsNumbers) {
  ProjectOptions opts;
  opts.config_name = "baseline.yaml";
  Project p(kProject, opts);
  Registry r = recording_registry();
  Object args = materialize_targets(p, r, {"trainer_args"});
  EXPECT_DOUBLE_EQ(at(args, "learning_rate").as_double(), 3e-4);
  EXPECT_EQ(at(args, "per_device_train_batch_size").as_int(), 8);
  EXPECT_DOUBLE_EQ(at(args, "weight_decay").as_double(), 0.01);
  EXPECT_EQ(at(args, "save_strategy").as_string(), "steps");
  EXPECT_EQ(at(args, "max_steps").as_int(), -1);
  EXPECT_NE(at(args, "output_dir").as_string().find("output_models/baseline_alibi_glu"),
            std::string::npos);
}

TEST(Example, VariantsHaveTheSeedTable) {
  struct Row {
    const char* config;
    double lr;
    int64_t batch;
    double wd;
  };
  Registry r = recording_registry();
  for (const Row& row :
       {Row{"higher_lr.yaml", 6e-4, 8, 0.01}, Row{"larger_batch.yaml", 5e-4, 16, 0.01},
        Row{"low_weight_decay.yaml", 3e-4, 8, 0.001},
        Row{"abspe_comparison.yaml", 3e-4, 8, 0.01}}) {
    ProjectOptions opts;
    opts.config_name = row.config;
    Project p(kProject, opts);
    Object args = materialize_targets(p, r, {"trainer_args"});
    EXPECT_DOUBLE_EQ(at(args, "learning_rate").as_double(), row.lr) << row.config;
    EXPECT_EQ(at(args, "per_device_train_batch_size").as_int(), row.batch) << row.config;
    EXPECT_DOUBLE_EQ(at(args, "weight_decay").as_double(), row.wd) << row.config;
  }
}

TEST(Example, ModelBitsBoundFromModelConfig) {
  ProjectOptions opts;
  opts.config_name = "baseline.yaml";
  Project p(kProject, opts);
  Registry r = recording_registry();
  Object model_fn = materialize_targets(p, r, {"model"});
  ASSERT_EQ(model_fn.type(), Object::Type::kCallable);
  CallArgs none;
  Object model = model_fn.call(none);
  EXPECT_EQ(at(model, "_ctor").as_string(), ".causal_lm:CasualLM");
  const Object& enc = at(model, "input_encoder");
  EXPECT_EQ(at(enc, "d_model").as_int(), 288);
  EXPECT_EQ(at(enc, "vocab_size").as_int(), 2000);
  EXPECT_EQ(at(at(enc, "positional_encoder"), "_ctor").as_string(), ".null_pe:NullPE");
  const Object& stack = at(model, "layer_stack");
  EXPECT_EQ(at(stack, "num_hidden_layers").as_int(), 6);
  EXPECT_EQ(at(model, "output_decoder").find("args")->as_list()[1].as_int(), 2000);
  // Each call builds a new model; the tokenizer (outside the model) stays shared.
  Object again = model_fn.call(none);
  EXPECT_FALSE(again.same_as(model));
}

TEST(Example, AbsPEUsesSinusoidalEncoding) {
  ProjectOptions opts;
  opts.config_name = "abspe_comparison.yaml";
  Project p(kProject, opts);
  Registry r = recording_registry();
  CallArgs none;
  Object model = materialize_targets(p, r, {"model"}).call(none);
  const Object& pe = at(at(model, "input_encoder"), "positional_encoder");
  EXPECT_EQ(at(pe, "_ctor").as_string(), ".sinusoidal_pe:SinusoidalPE");
  EXPECT_EQ(at(pe, "max_sequence_length").as_int(), 2048);
}

TEST(Example, MainWiresTheTrainer) {
  ProjectOptions opts;
  opts.config_name = "baseline.yaml";
  Project p(kProject, opts);
  Registry r = recording_registry();
  Object main = materialize_targets(p, r, {});
  EXPECT_EQ(at(main, "_ctor").as_string(), "forgather.ml.training_script:TrainingScript");
  const Object& trainer = at(main, "trainer");
  EXPECT_EQ(at(trainer, "_ctor").as_string(), "forgather.ml.trainer:Trainer");
  EXPECT_EQ(at(trainer, "callbacks").as_list().size(), 2u);
  const Object& json_logger = at(trainer, "callbacks").as_list()[0];
  EXPECT_NE(at(json_logger, "config").as_string().find("trainer_args"), std::string::npos);
  EXPECT_EQ(at(at(main, "meta"), "config_name").as_string(), "Baseline Training");
}

}  // namespace
}  // namespace fg::config
