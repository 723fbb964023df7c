// Data, tokenizer and trainer builders on a tiny synthetic config: a short real training run,
// the model directory round trip, and the training-argument errors.
#include <gtest/gtest.h>

#include <fstream>

#include "builders/data_components.h"
#include "builders/model_directory.h"
#include "builders/train_components.h"
#include "builders_test_util.h"
#include "tensor/tensor.h"
#include "tokenizer/hf_tokenizer_json.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "train/trainer.h"

namespace fg::builders {
namespace {

namespace fs = std::filesystem;
using testing::build;
using testing::error_of;

std::string tiny_config(const fs::path& dir, const std::string& trainer_extra = "") {
  return R"(
tokenizer: &tokenizer !singleton:forgather.ml.tokenizer:load_or_train_bpe
    path: ")" +
         (dir / "tok").string() +
         R"("
    vocab_size: 300
    dataset: synthetic
    split: "train[:300]"
train_split: &train_split !singleton:datasets:load_dataset { arg0: synthetic, split: "train[:64]" }
eval_split: &eval_split !singleton:datasets:load_dataset [ synthetic, "validation[0:16]" ]
train_dataset: &train_dataset !singleton:forgather.ml.datasets:preprocess_dataset
    dataset: *train_split
    tokenizer: *tokenizer
    fn_kwargs: { truncation: True, max_length: 64 }
eval_dataset: &eval_dataset !singleton:forgather.ml.datasets:preprocess_dataset
    dataset: *eval_split
    tokenizer: *tokenizer
model_factory: &model_factory !singleton:.causal_lm:CasualLM@model_factory
    loss_fn: !singleton:.causal_loss:CausalLoss []
    input_encoder: !singleton:.input_encoder:InputEncoder
        d_model: !var hidden_size
        vocab_size: !var vocab_size
        positional_encoder: !singleton:.sinusoidal_pe:SinusoidalPE
            d_model: !var hidden_size
            max_sequence_length: 128
    output_decoder: !singleton:torch.nn:Linear [ !var hidden_size, !var vocab_size ]
    layer_stack: !singleton:.layer_stack:LayerStack
        layer_factory: !lambda:.pre_ln_layer:PreLNLayer
            feedforward_factory: !lambda:.feedforward_layer:FeedforwardLayer
                d_model: !var hidden_size
                d_feedforward: 32
            attention_factory: !lambda:.causal_multihead_attn:CausalMultiheadAttn
                d_model: !var hidden_size
                num_heads: 2
            norm_factory: !lambda:torch.nn:LayerNorm [ !var hidden_size ]
        num_hidden_layers: 1
    init_weights: !lambda:.init_weights:simple_weight_init []
model_config: &model_config !dict
    vocab_size: !singleton:len [ *tokenizer ]
    pad_token_id: !singleton:getattr [ *tokenizer, pad_token_id ]
    hidden_size: 16
model: &model !partial:forgather.ml.construct:construct_model
    factory: *model_factory
    config: *model_config
trainer_args: &trainer_args !singleton:forgather.ml.trainer:TrainingArguments
    output_dir: ")" +
         (dir / "out").string() +
         R"("
    max_steps: 3
    per_device_train_batch_size: 4
    per_device_eval_batch_size: 4
    logging_steps: 1
    save_strategy: "no"
    seed: 7
)" + trainer_extra +
         R"(
summary_writer: &summary_writer !singleton:torch.utils.tensorboard:SummaryWriter
    log_dir: ")" +
         (dir / "out" / "runs" / "tiny").string() +
         R"("
trainer: &trainer !singleton:forgather.ml.trainer:Trainer
    args: *trainer_args
    model_init: !partial:call [ *model ]
    data_collator: !singleton:forgather.ml.data_collator:DataCollatorForCausalLM
        tokenizer: *tokenizer
        return_tensors: pt
    train_dataset: *train_dataset
    eval_dataset: *eval_dataset
    processing_class: *tokenizer
    callbacks:
        - !singleton:forgather.ml.trainer.callbacks:JsonLogger { name: tiny }
        - !singleton:forgather.ml.trainer.callbacks:TBLogger { args: [ *summary_writer ] }
main: !singleton:forgather.ml.training_script:TrainingScript
    trainer: *trainer
)";
}

TEST(TrainBuilders, TokenizerDataAndCollator) {
  testing::TempDir dir;
  auto tok = build(tiny_config(dir.path()), "tokenizer");
  config::Object n;
  ASSERT_TRUE(tok.attributes()->attribute("__len__", &n));
  EXPECT_EQ(n.as_int(), 300);
  EXPECT_TRUE(fs::exists(dir.path() / "tok_synthetic" / "tokenizer_config.json"));
  auto samples = build(tiny_config(dir.path()), "train_dataset");
  auto ts = samples.as<TokenizedSamples>("samples");
  EXPECT_EQ(ts->samples->size(), 64);
  for (int64_t i = 0; i < ts->samples->size(); ++i) {
    const auto s = ts->samples->get(i);
    EXPECT_LE(static_cast<int64_t>(s.input_ids.size()), 64);
    EXPECT_EQ(s.input_ids[0], tokenizer_of(tok, "t")->bos_id());  // [BOS] + BPE(story)
  }
}

TEST(TrainBuilders, TrainsAndReloadsTheModelDirectory) {
  testing::TempDir dir;
  auto main = build(tiny_config(dir.path()), "main");
  auto script = main.as<TrainingScriptSpec>("script");
  TrainerSpec spec = *script->trainer;
  EXPECT_EQ(spec.args.logging_dir, (dir.path() / "out" / "runs" / "tiny").string());
  spec.inputs.quiet = true;
  train::Trainer trainer(spec.args, spec.inputs);
  const auto result = trainer.train();
  EXPECT_EQ(result.global_step, 3);
  const fs::path out = dir.path() / "out";
  for (const char* f : {"config.json", "model.safetensors", "tokenizer_config.json"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  EXPECT_TRUE(fs::exists(out / "runs" / "tiny" / "trainer_logs.json"));

  LoadedModel loaded = load_model_directory(out, testing::registry());
  ASSERT_TRUE(loaded.tokenizer);
  EXPECT_EQ(loaded.config["hidden_size"], 16);
  EXPECT_EQ(loaded.config["vocab_size"], 300);
  const Tensor ids = Tensor::from_vector_i64({0, 5, 9, 17, 42, 3}, {1, 6});
  spec.inputs.model->eval();
  const auto a = spec.inputs.model->forward(ids).to_vector();
  const auto b = loaded.model->forward(ids).to_vector();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << i;

  // The same directory with its tokenizer as Hugging Face saves one (tokenizer.json and
  // transformers' tokenizer_config.json) loads through the tokenizer.json import.
  const auto* sp = dynamic_cast<const tokenizer::SentencePieceTokenizer*>(loaded.tokenizer.get());
  ASSERT_TRUE(sp);
  const std::string text = "once upon a time, there was a little dragon";
  const auto expected = sp->encode(text);
  std::ofstream(out / "tokenizer.json") << tokenizer::hf_tokenizer_json(*sp).dump();
  std::ofstream(out / "tokenizer_config.json") << tokenizer::hf_tokenizer_config(*sp).dump();
  fs::remove(out / "tokenizer.model");
  LoadedModel imported = load_model_directory(out, testing::registry());
  ASSERT_TRUE(imported.tokenizer);
  EXPECT_EQ(imported.tokenizer->config().kind, tokenizer::kKindHfTokenizerJson);
  EXPECT_EQ(imported.tokenizer->encode(text), expected);
}

TEST(TrainBuilders, LoadModelDirectoryErrorsNameTheFile) {
  testing::TempDir dir;
  std::string msg = error_of([&] { load_model_directory(dir.path(), testing::registry()); });
  EXPECT_NE(msg.find("config.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find(dir.path().string()), std::string::npos) << msg;
  std::ofstream(dir.path() / "config.json") << "{\"hidden_size\": 4}";
  std::ofstream(dir.path() / "model.safetensors") << "x";
  msg = error_of([&] { load_model_directory(dir.path(), testing::registry()); });
  EXPECT_NE(msg.find("forgather_model_graph"), std::string::npos) << msg;
}

TEST(TrainBuilders, UnknownTrainingArgumentSaysDidYouMean) {
  testing::TempDir dir;
  const std::string msg =
      error_of([&] { build(tiny_config(dir.path(), "    learnig_rate: 0.1\n"), "trainer_args"); });
  EXPECT_NE(msg.find("learnig_rate"), std::string::npos) << msg;
  EXPECT_NE(msg.find("learning_rate"), std::string::npos) << msg;
  EXPECT_NE(msg.find("test.yaml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("trainer_args.learnig_rate"), std::string::npos) << msg;
  const std::string bad = error_of(
      [&] { build(tiny_config(dir.path(), "    max_grad_norm: lots\n"), "trainer_args"); });
  EXPECT_NE(bad.find("max_grad_norm"), std::string::npos) << bad;
}

}  // namespace
}  // namespace fg::builders
