// `forgather ws create` + `project create`, then training the new project's default config as
// it was written: the seed's "Create New Projects", without editing a path.
#include <gtest/gtest.h>

#include "builders_test_util.h"

namespace fg::builders {
namespace {

namespace fs = std::filesystem;
using testing::run_forgather;

using CliScaffold = testing::SyntheticStoriesTest;

TEST_F(CliScaffold, NewWorkspaceAndProjectTrainAsCreated) {
  testing::TempDir dir;
  auto r = run_forgather({"-p", dir.path().string(), "ws", "create", "--name", "My Lab",
                          "--description", "Experiments"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const fs::path ws = dir.path() / "my_lab";
  EXPECT_NE(r.out.find("Created: " + (ws / "forgather_workspace/meta_defaults.yaml").string()),
            std::string::npos)
      << r.out;

  r = run_forgather({"-p", ws.string(), "project", "create", "--name", "Tiny Model"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const fs::path project = ws / "tiny_model";
  EXPECT_TRUE(fs::exists(project / "templates/configs/default.yaml"));

  r = run_forgather({"-p", project.string(), "project", "show"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Project Name: Tiny Model"), std::string::npos) << r.out;
  r = run_forgather({"-p", project.string(), "ls"});
  EXPECT_NE(r.out.find("default.yaml"), std::string::npos) << r.out;

  const std::string out = (dir.path() / "out").string();
  r = run_forgather({"-p", project.string(), "--set",
                     "tokenizer.path=" + (dir.path() / "tok").string(), "--set",
                     "tokenizer.vocab_size=300", "--set", "tokenizer.split=train[:300]", "--set",
                     "train_dataset_split.split=train[:32]", "--set",
                     "validation_dataset_split.split=validation[:8]", "--set",
                     "trainer_args.output_dir=" + out, "train", "--max-steps", "2"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Training finished: 2 steps"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(fs::path(out) / "model.safetensors"));

  // Creating either again is refused.
  r = run_forgather({"-p", ws.string(), "project", "create", "--name", "Tiny Model"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace fg::builders
