// bf16 mixed precision in the trainer (`bf16: true`): losses track the fp32 run, parameters and
// checkpoints stay f32, resume is bitwise exact, and each weight is converted once per step.
#include <gtest/gtest.h>

#include <cmath>

#include "tensor/autocast.h"
#include "train/trainer.h"
#include "trainer_fixture.h"

namespace fg::train {
namespace {

using Fixture = TrainerFixture;

TEST(TrainerBf16, LossesTrackTheFp32RunAndWeightsStayF32) {
  Fixture f("bf16_track");
  TrainingArguments a = f.args(16);
  a.output_dir = (f.dir / "fp32").string();
  const TrainResult fp32 = Trainer(a, f.inputs()).train();
  TrainingArguments b = a;
  b.output_dir = (f.dir / "bf16").string();
  b.bf16 = true;
  TrainerInputs in = f.inputs();
  auto model = in.model;
  const TrainResult bf16 = Trainer(b, in).train();
  ASSERT_EQ(bf16.step_losses.size(), fp32.step_losses.size());
  bool any_differs = false;
  for (size_t i = 0; i < fp32.step_losses.size(); ++i) {
    // docs/engine.md: a bf16 run's loss stays within 0.05 of the fp32 run's.
    EXPECT_NEAR(bf16.step_losses[i], fp32.step_losses[i], 0.05) << "step " << i + 1;
    any_differs |= bf16.step_losses[i] != fp32.step_losses[i];
  }
  EXPECT_TRUE(any_differs) << "bf16: true changed nothing: the GEMMs did not run in bf16";
  ASSERT_TRUE(bf16.final_eval_loss && fp32.final_eval_loss);
  EXPECT_NEAR(*bf16.final_eval_loss, *fp32.final_eval_loss, 0.05);
  for (const auto& [name, p] : model->named_parameters())
    EXPECT_EQ(p.dtype(), DType::F32) << name << ": master weights stay f32";
}

TEST(TrainerBf16, ResumeIsBitwiseExact) {
  Fixture f("bf16_resume");
  TrainingArguments a = f.args(12);
  a.bf16 = true;
  const auto [full, resumed] = f.train_and_resume(a, 8);
  ASSERT_EQ(full.step_losses.size(), 12u);
  ASSERT_EQ(resumed.step_losses.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(resumed.step_losses[i], full.step_losses[8 + i]) << i;
}

TEST(TrainerBf16, EachWeightIsConvertedOncePerStep) {
  Fixture f("bf16_once");
  TrainingArguments a = f.args(1);
  a.bf16 = true;
  a.gradient_accumulation_steps = 3;
  a.eval_strategy = IntervalStrategy::No;
  a.output_dir = (f.dir / "one").string();
  const int64_t before_one = autocast_weight_conversions();
  Trainer(a, f.inputs()).train();
  const int64_t per_step = autocast_weight_conversions() - before_one;
  EXPECT_GT(per_step, 0);
  a.max_steps = 4;
  a.output_dir = (f.dir / "four").string();
  const int64_t before_four = autocast_weight_conversions();
  Trainer(a, f.inputs()).train();
  // Three micro-batches per step share one copy of each weight.
  EXPECT_EQ(autocast_weight_conversions() - before_four, 4 * per_step);
}

TEST(TrainerBf16, TheArgumentParsesAndIsReported) {
  const TrainingArguments a = TrainingArguments::from_json(nlohmann::json{{"bf16", true}});
  EXPECT_TRUE(a.bf16);
  EXPECT_EQ(a.to_json().at("bf16"), true);
  EXPECT_THROW(TrainingArguments::from_json(nlohmann::json{{"bf16", "yes please"}}), Error);
  EXPECT_NE(precision_description(true).find("bf16 mixed"), std::string::npos);
  EXPECT_EQ(precision_description(false), "fp32");
}

}  // namespace
}  // namespace fg::train
