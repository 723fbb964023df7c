#include "train/trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "formats/checkpoint_dir.h"
#include "formats/json_log.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

using Fixture = TrainerFixture;

TEST(Trainer, LossFallsAndTheOutputDirectoryIsComplete) {
  Fixture f("learn");
  TrainingArguments a = f.args(24);
  TrainerInputs in = f.inputs();
  const int64_t parameters = in.model->num_parameters();
  Trainer trainer(a, in);
  TrainResult r = trainer.train();
  ASSERT_EQ(r.global_step, 24);
  ASSERT_EQ(r.step_losses.size(), 24u);
  EXPECT_NEAR(r.step_losses.front(), std::log(260.0), 0.6);
  EXPECT_LT(r.step_losses.back(), r.step_losses.front() - 1.0);
  ASSERT_TRUE(r.final_eval_loss.has_value());
  const fs::path out = a.output_dir;
  EXPECT_TRUE(fs::exists(out / "model.safetensors"));
  std::ifstream config_file(out / "config.json");
  const auto config = nlohmann::json::parse(config_file);  // throws when missing or invalid
  EXPECT_EQ(config.value("num_parameters", int64_t{-1}), parameters);  // `compare` reads it
  EXPECT_TRUE(fs::exists(out / "tokenizer_config.json"));
  formats::CheckpointDirectory ckpts(out / "checkpoints");
  auto list = ckpts.list();
  ASSERT_EQ(list.size(), 2u);  // save_total_limit 2 keeps the newest two
  EXPECT_EQ(list.back().step, 24);
  EXPECT_TRUE(fs::exists(list.back().path / "optimizer.safetensors"));
  // One logging dir with a valid JSON log and a TensorBoard file.
  fs::path runs = out / "runs";
  ASSERT_TRUE(fs::exists(runs));
  auto logdir = fs::directory_iterator(runs)->path();
  auto records = formats::read_json_log(logdir / "trainer_logs.json");
  int losses = 0, evals = 0;
  for (const auto& rec : records) {
    if (rec.number("loss")) ++losses;
    if (rec.number("eval_loss")) ++evals;
  }
  EXPECT_EQ(losses, 12);
  EXPECT_EQ(evals, 6);
  bool has_events = false;
  for (const auto& e : fs::directory_iterator(logdir))
    has_events |= e.path().filename().string().rfind("events.out.tfevents.", 0) == 0;
  EXPECT_TRUE(has_events);
}

TEST(Trainer, ResumeIsBitwiseExact) {
  Fixture f("resume");
  // Train 12 steps, then resume from step 8 with a differently initialised model.
  const auto [full, resumed] = f.train_and_resume(f.args(12), 8);
  ASSERT_EQ(full.step_losses.size(), 12u);
  ASSERT_EQ(resumed.step_losses.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(resumed.step_losses[i], full.step_losses[8 + i]) << i;
}

TEST(Trainer, ResumeRefusesADifferentModel) {
  Fixture f("refuse");
  TrainingArguments a = f.args(4);
  Trainer(a, f.inputs()).train();
  a.max_steps = 8;
  a.resume_from_checkpoint = "latest";
  try {
    Trainer(a, f.inputs(5, /*hidden=*/48)).train();
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the model's shape differs"), std::string::npos)
        << e.what();
  }
}

TEST(Trainer, RefusesToOverwriteATrainedModel) {
  Fixture f("overwrite");
  TrainingArguments a = f.args(8);
  Trainer(a, f.inputs()).train();
  try {
    Trainer(a, f.inputs()).train();
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("already holds a trained model"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("--overwrite-output-dir"), std::string::npos);
  }
  // Starting over removes the old run's checkpoints, which would outrank the new ones by step.
  a.overwrite_output_dir = true;
  a.max_steps = 2;
  EXPECT_EQ(Trainer(a, f.inputs()).train().global_step, 2);
  const auto left = formats::CheckpointDirectory(fs::path(a.output_dir) / "checkpoints").list();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.front().step, 2);
}

TEST(Trainer, PlanReportsStepsAndPaths) {
  Fixture f("plan");
  Trainer t(f.args(5), f.inputs());
  auto plan = t.plan();
  EXPECT_EQ(plan["max_steps"], 5);
  EXPECT_EQ(plan["steps_per_epoch"], 16);  // 64 stories / batch 4
  EXPECT_EQ(plan["train_samples"], 64);
}

}  // namespace
}  // namespace fg::train
