#include "report/run_loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "core/error.h"
#include "run_fixture.h"
#include "support/error_of.h"

namespace fg::report {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;
using testing::write_file;

using test_support::error_of;

TEST(RunLoader, LoadsNameParametersAndLog) {
  TempDir tmp;
  testing::RunSpec spec;
  spec.config_name = "ALiBi GLU";
  const auto dir = testing::make_run(tmp / "alibi", spec);
  const RunSummary run = load_run(dir);
  EXPECT_EQ(run.name, "ALiBi GLU");
  EXPECT_EQ(*run.parameters, 16 * 8 + 8);
  EXPECT_EQ(run.parameters_source, (dir / "model.safetensors").string());
  EXPECT_EQ(*run.log.last_step, 100);
  EXPECT_TRUE(run.log.finished);
  EXPECT_TRUE(run.notes.empty());
}

TEST(RunLoader, NameFallsBackToTheDirectoryAndConfigJsonCountWins) {
  TempDir tmp;
  const auto dir = testing::make_run(tmp / "plain_run", {});
  write_file(dir / "config.json", R"({"hidden_size": 8, "num_parameters": 123456})");
  const RunSummary run = load_run(dir.string() + "/");
  EXPECT_EQ(run.name, "plain_run");
  EXPECT_EQ(*run.parameters, 123456);
  EXPECT_EQ(run.parameters_source, (dir / "config.json").string());
}

TEST(RunLoader, ParametersFromTheNewestCheckpointWhenTheRunHasNoFinalModel) {
  TempDir tmp;
  testing::RunSpec spec;
  spec.weight_shape = {};
  spec.finished = false;
  const auto dir = testing::make_run(tmp / "crashed", spec);
  write_file(dir / "config.json", R"({"hidden_size": 8})");
  EXPECT_FALSE(load_run(dir).parameters.has_value());
  std::vector<float> w(10, 1.0f);
  formats::SafetensorsWriter writer;
  writer.add_f32("w", {2, 5}, w);
  fs::create_directories(dir / "checkpoints" / "checkpoint-50");
  fs::create_directories(dir / "checkpoints" / "checkpoint-100");
  writer.write(dir / "checkpoints" / "checkpoint-100" / "model.safetensors");
  const RunSummary run = load_run(dir);
  EXPECT_EQ(*run.parameters, 10);
  EXPECT_FALSE(run.log.finished);
}

TEST(RunLoader, ShardedIndexIsCounted) {
  TempDir tmp;
  const auto dir = testing::make_run(tmp / "hf", {.weight_shape = {}});
  std::vector<float> w(6, 1.0f);
  formats::SafetensorsWriter a, b;
  a.add_f32("x", {6}, w);
  b.add_f32("y", {2, 3}, w);
  a.write(dir / "model-00001-of-00002.safetensors");
  b.write(dir / "model-00002-of-00002.safetensors");
  write_file(
      dir / "model.safetensors.index.json",
      R"({"metadata": {"total_size": 48}, "weight_map": {"x": "model-00001-of-00002.safetensors",
                 "y": "model-00002-of-00002.safetensors"}})");
  EXPECT_EQ(*load_run(dir).parameters, 12);
}

TEST(RunLoader, NewestLogdirIsUsedAndOthersAreNoted) {
  TempDir tmp;
  const auto dir = testing::make_run(tmp / "run", {});
  const auto newer = dir / "runs" / "2026-11-30T09-00-00_host" / "trainer_logs.json";
  testing::write_log(newer, {testing::train_record(5, 1.5, 1e-3)});
  fs::last_write_time(
      newer, fs::last_write_time(dir / "runs" / "2026-11-29T10-00-00_host" / "trainer_logs.json") +
                 std::chrono::seconds(10));
  const RunSummary run = load_run(dir);
  EXPECT_EQ(run.log_path, newer);
  EXPECT_EQ(*run.log.last_step, 5);
  ASSERT_EQ(run.notes.size(), 1u);
  EXPECT_NE(run.notes[0].find("1 older log"), std::string::npos);

  // A logdir given explicitly is used as is, and its output_dir is found.
  const RunSummary older = load_run(dir / "runs" / "2026-11-29T10-00-00_host");
  EXPECT_EQ(*older.log.last_step, 100);
  EXPECT_EQ(older.output_dir, dir);
  EXPECT_EQ(*older.parameters, 16 * 8 + 8);
}

TEST(RunLoader, BadInputsGiveClearMessagesNamingTheFile) {
  TempDir tmp;
  const std::string missing = error_of([&] { load_run(tmp / "nope"); });
  EXPECT_NE(missing.find("[compare]"), std::string::npos) << missing;
  EXPECT_NE(missing.find((tmp / "nope").string() + " does not exist"), std::string::npos)
      << missing;

  write_file(tmp / "README.md", "hello");
  EXPECT_NE(error_of([&] { load_run(tmp / "README.md"); }).find("is a file, not a run"),
            std::string::npos);

  fs::create_directories(tmp / "empty" / "runs" / "log_x");
  const std::string no_logs = error_of([&] { load_run(tmp / "empty"); });
  EXPECT_NE(no_logs.find("no training log in " + (tmp / "empty").string()), std::string::npos)
      << no_logs;
  EXPECT_NE(no_logs.find("trainer_logs.json"), std::string::npos);

  const auto dir = testing::make_run(tmp / "corrupt", {});
  const auto log = dir / "runs" / "2026-11-29T10-00-00_host" / "trainer_logs.json";
  write_file(log, "[\n{\"global_step\": 1}\n,{not json}\n,{\"global_step\": 3}\n]\n");
  const std::string corrupt = error_of([&] { load_run(dir); });
  EXPECT_NE(corrupt.find(log.string()), std::string::npos) << corrupt;

  write_file(dir / "config.json", "{broken");
  testing::write_log(log.parent_path().parent_path() / "b" / "trainer_logs.json", {});
  fs::remove(log);
  const std::string bad_config = error_of([&] { load_run(dir); });
  EXPECT_NE(bad_config.find((dir / "config.json").string() + ": invalid JSON"), std::string::npos)
      << bad_config;
}

TEST(RunLoader, PythonForgatherOutputDirectory) {
  // HEAD layout: sharded weights in the newest checkpoint, a log with Python's final record.
  TempDir tmp;
  const auto dir = tmp / "baseline_alibi_glu";
  write_file(
      dir / "runs" / "log_2025-01-02T03-04-05" / "trainer_logs.json",
      "[\n"
      R"({"timestamp": 1.5, "global_step": 100, "epoch": 0.1, "loss": 3.25, "grad_norm": 1.0, "learning_rate": 0.0001})"
      ",\n"
      R"({"timestamp": 2.0, "global_step": 100, "epoch": 0.1, "eval_loss": 3.5})"
      ",\n"
      R"({"timestamp": 3.0, "global_step": 100, "epoch": 0.1, "train_runtime": 61.5, "train_samples": 800, "step": 100, "train_samples_per_second": 13.0, "train_steps_per_second": 1.6, "effective_batch_size": 8})"
      "\n]");
  write_file(dir / "config.json", R"({"model_type": "forgather-dynamic-causal-custom_alibi_glu"})");
  const auto ckpt = dir / "checkpoints" / "checkpoint-100";
  std::vector<float> w(20, 1.0f);
  formats::SafetensorsWriter writer;
  writer.add_f32("causal_lm.w", {4, 5}, w);
  fs::create_directories(ckpt);
  writer.write(ckpt / "model-00001-of-00001.safetensors");
  write_file(
      ckpt / "model.safetensors.index.json",
      R"({"metadata": {"total_size": 80}, "weight_map": {"causal_lm.w": "model-00001-of-00001.safetensors"}})");
  const RunSummary run = load_run(dir);
  EXPECT_EQ(run.name, "baseline_alibi_glu");
  EXPECT_EQ(*run.parameters, 20);
  EXPECT_EQ(*run.log.last_step, 100);
  EXPECT_EQ(*run.log.final_eval_loss, 3.5);
  EXPECT_EQ(*run.log.wall_seconds, 61.5);
  EXPECT_TRUE(run.log.finished);
  EXPECT_FALSE(run.log.tokens_per_second.has_value());
}

TEST(RunLoader, UnparseableConfigYamlFallsBackToTheDirectoryName) {
  TempDir tmp;
  const auto dir = testing::make_run(tmp / "odd", {.config_name = "x"});
  write_file(dir / "checkpoints" / "checkpoint-100" / "config.yaml", "meta: [unclosed\n");
  EXPECT_EQ(load_run(dir).name, "odd");
  write_file(dir / "checkpoints" / "checkpoint-100" / "config.yaml",
             "meta:\n  config_name: Undefined\n");
  EXPECT_EQ(load_run(dir).name, "odd");
}

// Run paths compare is given: a FIFO, a symlink loop or an overlong name is an IoError naming
// the path and the reason.
TEST(HostileRunPath, AFifoIsNotARun) {
  TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp / "run").c_str(), 0644), 0);
  EXPECT_NE(error_of([&] { load_run(tmp / "run"); }).find("run is a FIFO (named pipe), not a run"),
            std::string::npos);
}

TEST(HostileRunPath, ASymlinkLoop) {
  TempDir tmp;
  fs::create_symlink(tmp / "loop", tmp / "loop");
  EXPECT_NE(error_of([&] { load_run(tmp / "loop"); }).find("Too many levels of symbolic links"),
            std::string::npos);
}

TEST(HostileRunPath, ANameTooLong) {
  EXPECT_NE(error_of([&] { load_run(std::string(300, 'r')); }).find("File name too long"),
            std::string::npos);
}

}  // namespace
}  // namespace fg::report
