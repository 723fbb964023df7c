// Slow (ctest label `slow`): the example's baseline config trained for 10 steps on the real
// TinyStories sample (../shared/data/tinystories-lc via FORGATHER_TINYSTORIES), training the
// 2k tokenizer first; then the model directory is reloaded and compared.
#include <gtest/gtest.h>

#include <cstdlib>

#include "../builders_test_util.h"
#include "builders/model_directory.h"

namespace fg::builders {
namespace {

namespace fs = std::filesystem;

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";
// The shared data sits beside the repository, as in CI.
const std::string kData = std::string(FG_SOURCE_DIR) + "/../shared/data/tinystories-lc";

TEST(ExampleTrainSlow, BaselineTenStepsOnTinyStories) {
  if (!fs::exists(fs::path(kData) / "train.txt")) GTEST_SKIP() << "no " << kData;
  setenv("FORGATHER_TINYSTORIES", kData.c_str(), 1);
  unsetenv("FORGATHER_DATASET");
  testing::TempDir dir;
  const fs::path out = dir.path() / "output_models" / "baseline_alibi_glu";
  auto r = testing::run_forgather({"-p", kProject, "-t", "baseline.yaml", "train", "--dry-run"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("9,130,484"), std::string::npos) << r.out;
  r = testing::run_forgather({"-p", kProject, "-t", "baseline.yaml", "--set",
                              "trainer_args.output_dir=" + out.string(), "--set",
                              "summary_writer.log_dir=" + (out / "runs" / "log").string(), "train",
                              "--max-steps", "10"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  for (const char* f :
       {"config.json", "model.safetensors", "tokenizer_config.json", "runs/log/trainer_logs.json"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  bool tb = false;
  for (const auto& e : fs::directory_iterator(out / "runs" / "log"))
    tb = tb || e.path().filename().string().rfind("events.out.tfevents", 0) == 0;
  EXPECT_TRUE(tb);
  EXPECT_TRUE(fs::exists(out / "checkpoints"));
  const LoadedModel m = load_model_directory(out, testing::registry());
  EXPECT_EQ(m.model->num_parameters(), 9130484);
  EXPECT_EQ(m.tokenizer->vocab_size(), 2000);
}

}  // namespace
}  // namespace fg::builders
