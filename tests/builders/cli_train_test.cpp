// `forgather model` and `forgather train` on the example project, kept tiny with --set
// overrides and the embedded synthetic stories (FORGATHER_DATASET=synthetic).
#include <gtest/gtest.h>

#include <cstdlib>

#include "builders_test_util.h"
#include "cli/device_selection.h"

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
  // -d is planned, not checked: this machine need not have the GPU the plan names.
  for (const char* s : {"Model parameters:", "Train dataset:", "32 samples", "max_steps",
                        "output_dir", "checkpoints", "Device: cuda:0", "\"device\": \"cuda:0\""})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "model.safetensors"));
  // The synthetic corpus keeps its tokenizer apart.
  EXPECT_TRUE(fs::exists(dir.path() / "tok_synthetic" / "tokenizer_config.json"));
}

// -d 0,1: the dry run prints the launch of one rank per GPU and whether this machine could run
// it, and needs no GPU itself.
TEST_F(CliTrainSynthetic, DryRunOfTwoGpusPrintsTheLaunch) {
  testing::TempDir dir;
  auto args = tiny_example(dir.path());
  args.insert(args.end(), {"train", "--dry-run", "-d", "0,1"});
  const auto r = run_forgather(args);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  for (const char* s :
       {"Data parallel: 2 rank(s) x per-rank batch 8 = global batch 16\n", "Launch: ", " -np 2 ",
        " train -d 0,1\n", "Devices: rank 0 -> cuda:0, rank 1 -> cuda:1 (by local rank)\n"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_EQ(r.out.find("--dry-run\n"), std::string::npos) << r.out;
  const cli::CudaAvailability here = cli::cuda_availability();
  const char* verdict = here.built && here.device_count >= 2
                            ? "Devices here: available"
                            : "Devices here: refused: [--devices] cannot use cuda:";
  EXPECT_NE(r.out.find(verdict), std::string::npos) << r.out;
}

// Without the GPUs -d 0,1 is refused with the reason before any launcher starts.
TEST_F(CliTrainSynthetic, TwoGpusAreRefusedBeforeLaunchingWhereThereAreNone) {
  const cli::CudaAvailability here = cli::cuda_availability();
  if (here.built && here.device_count >= 2) GTEST_SKIP() << "this machine has 2 GPUs";
  testing::TempDir dir;
  auto args = tiny_example(dir.path());
  args.insert(args.end(), {"train", "--max-steps", "1", "-d", "0,1"});
  setenv("FG_MPIRUN", "/nonexistent/mpirun", 1);  // reached only if the check let it through
  const auto r = run_forgather(args);
  unsetenv("FG_MPIRUN");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("[--devices] cannot use cuda:0"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("/nonexistent/mpirun"), std::string::npos) << r.err;
  args.insert(args.end(), {"--nproc", "3"});
  const auto both = run_forgather(args);
  EXPECT_NE(both.err.find("--nproc 3 and -d 0,1 disagree"), std::string::npos) << both.err;
}

TEST_F(CliTrainSynthetic, DryRunShowsThePrecision) {
  testing::TempDir dir;
  auto args = tiny_example(dir.path());
  args.insert(args.end(), {"train", "--dry-run"});
  auto r = run_forgather(args);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Precision: fp32"), std::string::npos) << r.out;
  // `--bf16` sets the training argument bf16 (TrainerBf16 tests the argument itself).
  args.push_back("--bf16");
  r = run_forgather(args);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Precision: bf16 mixed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"precision\": \"bf16 mixed"), std::string::npos) << r.out;  // the plan
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

// Hostile model sizes through `forgather model`: refused at the component, naming the config
// node and the sizes, before anything is allocated.
struct BadModelValue {
  const char* name;
  const char* set;  // a model_config override
  const char* message;
};

class HostileModelConfig : public ::testing::TestWithParam<BadModelValue> {};

TEST_P(HostileModelConfig, RefusedNamingNodeAndSizes) {
  auto args = vocab_2000("baseline.yaml", "model");
  args.insert(args.begin(), {"--set", std::string("model_config.") + GetParam().set});
  const auto r = run_forgather(args);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(".yaml:"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileModelConfig,
    ::testing::Values(
        BadModelValue{"HiddenSize2e62", "hidden_size=4611686018427387904",
                      "[InputEncoder] embedding 2000 x 4611686018427387904 overflows int64"},
        BadModelValue{"NegativeHiddenSize", "hidden_size=-8",
                      "[InputEncoder] d_model and vocab_size must be positive, got -8 and 2000"},
        BadModelValue{"HeadsDoNotDivide", "num_attention_heads=5",
                      "d_model (288) must be a positive multiple of num_heads (5)"},
        BadModelValue{"FeedforwardOverflow", "dim_feedforward=4611686018427387904",
                      "[GLUFeedforwardLayer] up_proj weight 4611686018427387904 x 288 overflows"},
        BadModelValue{"TooManyLayers", "num_hidden_layers=100000",
                      "[LayerStack] num_hidden_layers must be in [0, 65536], got 100000"},
        BadModelValue{"LayersBeyondMemory", "num_hidden_layers=60000",
                      "[LayerStack] 60000 layers of 1329414 parameters need 297.1 GiB"},
        BadModelValue{"WeightBeyondMemory", "hidden_size=1610612736",
                      "[Tensor] shape [2000, 1610612736] of f32 needs 11.7 TiB"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg::builders
