// kill -9 during a checkpoint save, at the trainer level (formats.md §1.5 goal 3): the child
// SIGKILLs itself while the second checkpoint's files sit in their temporary directory.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "formats/checkpoint_dir.h"
#include "formats/json_log.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

std::vector<fs::path> temp_entries(const fs::path& checkpoints) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(checkpoints))
    if (e.path().filename().string().rfind(".tmp-", 0) == 0) out.push_back(e.path());
  return out;
}

// trainer_logs.json must be strict JSON (formats.md §3.8, the always-valid array), not only
// readable by the tolerant reader.
void expect_strict_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_TRUE(nlohmann::json::accept(text)) << path << " is not valid JSON:\n" << text;
}

TrainingArguments crash_args(const TrainerFixture& f) {
  TrainingArguments a = f.args(8);
  a.save_steps = 2;
  a.save_total_limit = 0;
  a.eval_strategy = IntervalStrategy::No;
  return a;
}

// The child: SIGKILLs itself after the second checkpoint's files are written, before the commit.
[[noreturn]] void train_and_die_in_second_save(const TrainerFixture& f) {
  TrainerInputs in = f.inputs();
  int saves = 0;
  in.before_checkpoint_commit = [&saves](const fs::path&) {
    if (++saves == 2) std::raise(SIGKILL);
  };
  try {
    Trainer(crash_args(f), std::move(in)).train();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected error: %s\n", e.what());
    std::_Exit(2);
  }
  std::_Exit(3);  // the kill did not happen
}

// The child is a "threadsafe" death test (a freshly executed test binary): a plain fork() of a
// process whose thread pools already ran deadlocks in the child.
TEST(TrainerCrash, KillDuringTheSecondSaveKeepsTheFirstCheckpoint) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TrainerFixture f("crash");
  TrainingArguments a = crash_args(f);
  EXPECT_EXIT(train_and_die_in_second_save(f), testing::KilledBySignal(SIGKILL), "");

  // Right after the crash: checkpoint-2 is the latest complete one, checkpoint-4's files are
  // in a temporary directory, and the log is strict JSON with the records up to step 4.
  const fs::path checkpoints = fs::path(a.output_dir) / "checkpoints";
  formats::CheckpointDirectory ckpts(checkpoints);
  ASSERT_TRUE(ckpts.latest().has_value());
  EXPECT_EQ(ckpts.latest()->step, 2);
  EXPECT_FALSE(fs::exists(checkpoints / "checkpoint-4"));
  const auto temps = temp_entries(checkpoints);
  ASSERT_EQ(temps.size(), 1u);
  EXPECT_EQ(temps[0].filename().string().rfind(".tmp-checkpoint-4-", 0), 0u) << temps[0];
  EXPECT_TRUE(fs::exists(temps[0] / "trainer_state.json"));

  const fs::path runs = fs::path(a.output_dir) / "runs";
  ASSERT_TRUE(fs::exists(runs));
  const fs::path log = fs::directory_iterator(runs)->path() / "trainer_logs.json";
  expect_strict_json(log);
  const auto before = formats::read_json_log(log);
  std::vector<int64_t> before_steps;
  for (const auto& rec : before) before_steps.push_back(rec.global_step());
  EXPECT_EQ(before_steps, (std::vector<int64_t>{2, 4}));

  // Reference: the same run without a crash, in another directory.
  TrainingArguments ref_args = a;
  ref_args.output_dir = (f.dir / "reference").string();
  const TrainResult reference = Trainer(ref_args, f.inputs()).train();
  ASSERT_EQ(reference.step_losses.size(), 8u);

  // Resume: the stale temporary directory goes, training continues from step 2 exactly as the
  // run without a crash did.
  a.resume_from_checkpoint = "latest";
  const TrainResult resumed = Trainer(a, f.inputs(/*model_seed=*/99)).train();
  EXPECT_TRUE(temp_entries(checkpoints).empty());
  ASSERT_EQ(resumed.global_step, 8);
  ASSERT_EQ(resumed.step_losses.size(), 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(resumed.step_losses[i], reference.step_losses[2 + i]) << "step " << 3 + i;
  EXPECT_EQ(ckpts.latest()->step, 8);

  // The log: still strict JSON; the records up to the checkpoint are kept as they were (the
  // crashed run's step-4 record is dropped, as its step is redone), the new ones follow.
  expect_strict_json(log);
  const auto after = formats::read_json_log(log);
  ASSERT_GE(after.size(), 2u);
  EXPECT_EQ(after[0].fields, before[0].fields);
  std::vector<int64_t> after_steps;
  for (const auto& rec : after) after_steps.push_back(rec.global_step());
  // Losses at 4, 6, 8, then the end-of-training summary at 8.
  EXPECT_EQ(after_steps, (std::vector<int64_t>{2, 4, 6, 8, 8}));
  EXPECT_TRUE(after.back().number("train_runtime").has_value());
  EXPECT_EQ(after.back().number("train_steps"), 6.0);
}

}  // namespace
}  // namespace fg::train
