// Non-finite values never pass silently: a run that ends with a NaN loss fails, a checkpoint is
// never saved from a non-finite state (so rotation keeps the last good one), and a checkpoint
// whose weights or optimizer state hold NaN is refused on resume.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "formats/checkpoint_dir.h"
#include "formats/file_io.h"
#include "formats/safetensors_file.h"
#include "optim/state_io.h"
#include "train/model_io.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

std::string error_of(const TrainingArguments& a, TrainerInputs in) {
  try {
    Trainer(a, std::move(in)).train();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A learning rate that blows the weights up in one update: later losses are NaN.
TrainingArguments exploding(TrainingArguments a) {
  a.learning_rate = 1e30;
  a.warmup_steps = 0;
  a.max_grad_norm = 0;
  a.eval_strategy = IntervalStrategy::No;
  return a;
}

std::vector<int64_t> checkpoint_steps(const TrainingArguments& a) {
  std::vector<int64_t> out;
  for (const auto& c : formats::CheckpointDirectory(fs::path(a.output_dir) / "checkpoints").list())
    out.push_back(c.step);
  return out;
}

TEST(HostileTrainerNonFinite, RunEndingWithNanLossFailsNamingTheStep) {
  TrainerFixture f("finite_end");
  TrainingArguments a = exploding(f.args(3));
  const std::string msg = error_of(a, f.inputs());
  EXPECT_CONTAINS(msg, "[Trainer] the run ended non-finite at step 3: step 3 loss is ");
  EXPECT_CONTAINS(msg, "nan; no model was saved");
  EXPECT_CONTAINS(msg, "no model was saved to " + a.output_dir);
  EXPECT_FALSE(fs::exists(fs::path(a.output_dir) / "model.safetensors"));
  EXPECT_TRUE(checkpoint_steps(a).empty());
}

TEST(HostileTrainerNonFinite, NoCheckpointFromANonFiniteStateAndTheLastGoodOneIsKept) {
  TrainerFixture f("finite_rotation");
  TrainingArguments a = f.args(4);
  a.eval_strategy = IntervalStrategy::No;
  a.save_steps = 2;
  a.save_total_limit = 1;
  Trainer(a, f.inputs()).train();
  ASSERT_EQ(checkpoint_steps(a), (std::vector<int64_t>{4}));

  TrainingArguments b = exploding(a);
  b.max_steps = 8;
  b.resume_from_checkpoint = "latest";
  const std::string msg = error_of(b, f.inputs());
  EXPECT_CONTAINS(msg, "the run ended non-finite at step 8");
  EXPECT_EQ(checkpoint_steps(b), (std::vector<int64_t>{4}));
}

// Trains 4 steps with checkpoints at 2 and 4, then poisons one tensor of checkpoint-4's `file`
// in place (the same size, so the completion marker still holds).
TrainingArguments trained_then_poisoned(TrainerFixture& f, const std::string& file) {
  TrainingArguments a = f.args(4);
  a.eval_strategy = IntervalStrategy::No;
  a.save_steps = 2;
  a.save_total_limit = 2;
  Trainer(a, f.inputs()).train();
  const fs::path target = fs::path(a.output_dir) / "checkpoints" / "checkpoint-4" / file;
  std::string bytes = formats::read_file_text(target);
  const auto st = formats::SafetensorsFile::open(target);
  const auto& [name, info] = *st.tensors().begin();
  const float nan = std::nanf("");
  uint64_t header_size = 0;  // the little-endian u64 that starts every safetensors file
  std::memcpy(&header_size, bytes.data(), sizeof header_size);
  const size_t offset = 8 + header_size + static_cast<size_t>(info.begin);
  bytes.replace(offset, sizeof nan, reinterpret_cast<const char*>(&nan), sizeof nan);
  formats::write_file_atomic(target, bytes);
  a.max_steps = 8;
  a.resume_from_checkpoint = "latest";
  return a;
}

TEST(HostileTrainerNonFinite, NanOptimizerStateInTheNewestCheckpointIsRefused) {
  TrainerFixture f("finite_optimizer");
  TrainingArguments a = trained_then_poisoned(f, "optimizer.safetensors");
  const std::string msg = error_of(a, f.inputs());
  EXPECT_CONTAINS(msg, "[OptimizerState] '");
  EXPECT_CONTAINS(msg, "checkpoint-4/optimizer.safetensors': tensor '");
  EXPECT_CONTAINS(msg, "holds a non-finite value (nan) at element 0");
  EXPECT_EQ(checkpoint_steps(a), (std::vector<int64_t>{2, 4}));
}

TEST(HostileTrainerNonFinite, NanWeightsInTheNewestCheckpointAreRefused) {
  TrainerFixture f("finite_weights");
  TrainingArguments a = trained_then_poisoned(f, "model.safetensors");
  const std::string msg = error_of(a, f.inputs());
  EXPECT_CONTAINS(msg, "[load_model_weights] '");
  EXPECT_CONTAINS(msg, "checkpoint-4/model.safetensors': tensor '");
  EXPECT_CONTAINS(msg, "holds a non-finite value (nan)");
  EXPECT_EQ(checkpoint_steps(a), (std::vector<int64_t>{2, 4}));
}

}  // namespace
}  // namespace fg::train
