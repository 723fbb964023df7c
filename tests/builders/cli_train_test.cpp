// `forgather model` and `forgather train` on the example project, kept tiny with --set
// overrides and the embedded synthetic stories (FORGATHER_DATASET=synthetic).
#include <gtest/gtest.h>

#include <cstdlib>

#include "builders_test_util.h"

namespace fg::builders {
namespace {

namespace fs = std::filesystem;
using testing::run_forgather;

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";

// Token ids and vocab as the 2k tokenizer gives them, so the model is built without training it.
std::vector<std::string> vocab_2000(const std::string& config, const std::string& command) {
  return {"-p",    kProject,
          "-t",    config,
          "--set", "model_config.vocab_size=2000",
          "--set", "model_config.pad_token_id=1",
          "--set", "model_config.bos_token_id=0",
          "--set", "model_config.eos_token_id=2",
          command};
}

TEST(CliTrain, ExampleParameterCounts) {
  auto r = run_forgather(vocab_2000("baseline.yaml", "model"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("9,130,484"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CausalAlibiAttn"), std::string::npos) << r.out;
  r = run_forgather(vocab_2000("abspe_comparison.yaml", "model"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("9,130,448"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SinusoidalPE"), std::string::npos) << r.out;
}

// The example config shrunk to a tiny model and synthetic data in `dir`.
std::vector<std::string> tiny_example(const fs::path& dir) {
  const std::string out = (dir / "out").string();
  return {"-p",    kProject,
          "-t",    "baseline.yaml",
          "--set", "tokenizer.path=" + (dir / "tok").string(),
          "--set", "tokenizer.vocab_size=300",
          "--set", "tokenizer.split=train[:300]",
          "--set", "train_dataset_split.split=train[:32]",
          "--set", "validation_dataset_split.split=validation[:8]",
          "--set", "model_config.hidden_size=24",
          "--set", "model_config.dim_feedforward=48",
          "--set", "model_config.num_hidden_layers=1",
          "--set", "trainer_args.output_dir=" + out,
          "--set", "trainer_args.logging_steps=1",
          "--set", "trainer_args.dataloader_num_workers=0",
          "--set", "summary_writer.log_dir=" + out + "/runs/test"};
}

using CliTrainSynthetic = testing::SyntheticStoriesTest;

TEST_F(CliTrainSynthetic, DryRunPrintsThePlan) {
  testing::TempDir dir;
  auto args = tiny_example(dir.path());
  args.insert(args.end(), {"train", "--dry-run", "-d", "0,1"});
  const auto r = run_forgather(args);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  for (const char* s : {"Model parameters:", "Train dataset:", "32 samples", "max_steps",
                        "output_dir", "checkpoints"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "model.safetensors"));
  // The synthetic corpus keeps its tokenizer apart.
  EXPECT_TRUE(fs::exists(dir.path() / "tok_synthetic" / "tokenizer_config.json"));
}

TEST_F(CliTrainSynthetic, TrainsWithMaxSteps) {
  testing::TempDir dir;
  auto args = tiny_example(dir.path());
  args.insert(args.end(), {"train", "--max-steps", "2"});
  const auto r = run_forgather(args);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Training finished: 2 steps"), std::string::npos) << r.out;
  for (const char* f :
       {"config.json", "model.safetensors", "tokenizer_config.json", "runs/test/trainer_logs.json"})
    EXPECT_TRUE(fs::exists(dir.path() / "out" / f)) << f;
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "checkpoints" / "checkpoint-2" / "config.json"));
  // --resume continues from the latest checkpoint up to the new step limit.
  args = tiny_example(dir.path());
  args.insert(args.end(), {"train", "--max-steps", "3", "--resume"});
  const auto resumed = run_forgather(args);
  ASSERT_EQ(resumed.code, 0) << resumed.err << resumed.out;
  EXPECT_NE(resumed.out.find("Training finished: 3 steps"), std::string::npos) << resumed.out;
}

TEST_F(CliTrainSynthetic, BadInputsExitNonZero) {
  testing::TempDir dir;
  auto args = tiny_example(dir.path());
  args.insert(args.end() - 0, {"--set", "trainer_args.learning_rate=-1", "train", "--dry-run"});
  auto r = run_forgather(args);
  EXPECT_NE(r.code, 0);
  EXPECT_NE((r.err + r.out).find("learning_rate"), std::string::npos) << r.err;
  r = run_forgather({"-p", kProject, "-t", "baseline.yaml", "--set",
                     "model_config.hidden_size=twelve", "--set", "model_config.vocab_size=20",
                     "--set", "model_config.pad_token_id=1", "--set", "model_config.bos_token_id=0",
                     "--set", "model_config.eos_token_id=2", "model"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("twelve"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace fg::builders
