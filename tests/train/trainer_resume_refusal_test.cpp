// Resume refuses a checkpoint made with a different tokenizer, training data or batch geometry,
// naming what differs (formats.md §1.5 goal 2); a different config text alone is allowed.
#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/checkpoint_dir.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

// Trains 4 steps (a checkpoint at step 4) and returns arguments that resume from it to step 8.
TrainingArguments trained(const TrainerFixture& f) {
  TrainingArguments a = f.args(4);
  a.eval_strategy = IntervalStrategy::No;
  Trainer(a, f.inputs()).train();
  a.max_steps = 8;
  a.resume_from_checkpoint = "latest";
  return a;
}

std::string refusal(const TrainingArguments& a, TrainerInputs in) {
  try {
    Trainer(a, std::move(in)).train();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error: the resume was accepted)";
}

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(TrainerResumeRefusal, ADifferentTokenizer) {
  TrainerFixture f("refuse_tokenizer");
  TrainingArguments a = trained(f);
  tokenizer::TokenizerConfig c = tokenizer::ByteTokenizer::make_config();
  c.special_tokens.eos = "<|end|>";
  TrainerInputs in = f.inputs();
  in.tokenizer = std::make_shared<tokenizer::ByteTokenizer>(c);
  const std::string msg = refusal(a, std::move(in));
  EXPECT_CONTAINS(msg, "[Trainer] cannot resume from ");
  EXPECT_CONTAINS(msg, "checkpoint-4: it was trained with a different tokenizer");
}

TEST(TrainerResumeRefusal, ADifferentBatchSize) {
  TrainerFixture f("refuse_batch");
  TrainingArguments a = trained(f);
  a.per_device_train_batch_size = 2;
  const std::string msg = refusal(a, f.inputs());
  EXPECT_CONTAINS(msg, "checkpoint-4: the batch geometry differs");
  EXPECT_CONTAINS(msg, "\"train_batch_size\":4");
  EXPECT_CONTAINS(msg, "\"train_batch_size\":2");
  EXPECT_CONTAINS(msg, "resume needs the same batch size, accumulation and sequence");
}

TEST(TrainerResumeRefusal, ADifferentGradientAccumulation) {
  TrainerFixture f("refuse_accum");
  TrainingArguments a = trained(f);
  a.gradient_accumulation_steps = 2;
  const std::string msg = refusal(a, f.inputs());
  EXPECT_CONTAINS(msg, "the batch geometry differs");
  EXPECT_CONTAINS(msg, "\"gradient_accumulation_steps\":1");
  EXPECT_CONTAINS(msg, "\"gradient_accumulation_steps\":2");
}

TEST(TrainerResumeRefusal, ADifferentMaxLength) {
  TrainerFixture f("refuse_length");
  TrainingArguments a = trained(f);
  data::SampleOptions so;
  so.max_length = 32;
  TrainerInputs in = f.inputs();
  in.train_samples = std::make_shared<data::SampleSet>(*f.train_tokens, so);
  const std::string msg = refusal(a, std::move(in));
  EXPECT_CONTAINS(msg, "the batch geometry differs");
  EXPECT_CONTAINS(msg, "\"max_length\":64");
  EXPECT_CONTAINS(msg, "\"max_length\":32");
}

TEST(TrainerResumeRefusal, DifferentTrainingDataOfTheSameSize) {
  TrainerFixture f("refuse_data");
  TrainingArguments a = trained(f);
  data::TokenizeOptions to;
  to.cache_dir = f.dir / "other_cache";
  const auto other = data::TokenizedDataset::build(
      data::synthetic_stories({.seed = 2, .first = 0, .count = 64}), *f.tok, to);
  TrainerInputs in = f.inputs();
  in.train_samples = std::make_shared<data::SampleSet>(other, f.train->options());
  ASSERT_EQ(in.train_samples->size(), f.train->size());  // only the content differs
  const std::string msg = refusal(a, std::move(in));
  EXPECT_CONTAINS(msg, "checkpoint-4: it was trained on different data");
  EXPECT_CONTAINS(msg, "resume needs the same training samples");
}

// The config text is hashed into trainer_state.json but, as the spec's refusal list (world size,
// batch geometry, tokenizer, model shape) says, changing it (e.g. the logging interval) is fine.
TEST(TrainerResumeRefusal, ADifferentConfigTextIsAccepted) {
  TrainerFixture f("config_text");
  TrainingArguments a = trained(f);
  TrainerInputs in = f.inputs();
  in.config_text = "test: another config\n";
  TrainResult r = Trainer(a, std::move(in)).train();
  EXPECT_EQ(r.global_step, 8);
  EXPECT_EQ(r.step_losses.size(), 4u);
}

}  // namespace
}  // namespace fg::train
