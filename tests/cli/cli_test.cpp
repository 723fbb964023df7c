// The forgather command line, run in-process against the example workspace.
#include <gtest/gtest.h>

#include <sstream>

#include "../config/temp_workspace.h"
#include "cli/app.h"

namespace fg::cli {
namespace {

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";

struct Result {
  int code;
  std::string out, err;
};

// A test model component that can describe itself.
struct TinyModel : config::Describable {
  int64_t width;
  std::string describe() const override {
    return "TinyModel(width=" + std::to_string(width) + ")  params " +
           std::to_string(parameter_count());
  }
  int64_t parameter_count() const override { return width * width + width; }
};

Result run(std::vector<std::string> args) {
  config::Registry registry;
  config::register_builtins(registry);
  registry.add("test:TinyModel", {}, "a describable test model", [](config::CallArgs& a) {
    auto m = std::make_shared<TinyModel>();
    m->width = a.get_int("width", 0, 4);
    a.finish();
    return config::Object::component(m, "TinyModel");
  });
  std::ostringstream out, err;
  const int code = run_cli(args, registry, add_core_commands, out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, LsListsTheFiveConfigs) {
  Result r = run({"-p", kProject, "ls"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("External Workspace ALiBi GLU : External workspace example"),
            std::string::npos)
      << r.out;
  for (const char* line : {"abspe_comparison.yaml", "[baseline.yaml]", "higher_lr.yaml",
                           "larger_batch.yaml", "low_weight_decay.yaml", "Baseline Training",
                           "Higher Learning Rate", "ALiBi vs AbsPE Experiment"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  EXPECT_EQ(r.out.find("PARSE ERROR"), std::string::npos) << r.out;
}

TEST(Cli, LsRecursiveFindsTheProject) {
  Result r = run({"ls", "-r", kProject + "/.."});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Project Path:"), std::string::npos);
  EXPECT_NE(r.out.find("[baseline.yaml]"), std::string::npos) << r.out;
}

TEST(Cli, PpRendersEveryConfig) {
  for (const char* c : {"baseline.yaml", "higher_lr.yaml", "larger_batch.yaml",
                        "low_weight_decay.yaml", "abspe_comparison.yaml"}) {
    Result r = run({"-p", kProject, "-t", c, "pp"});
    ASSERT_EQ(r.code, 0) << c << r.err;
    EXPECT_NE(r.out.find("trainer_args: &trainer_args"), std::string::npos) << c;
    EXPECT_EQ(r.out.find("{%"), std::string::npos) << c;
  }
}

TEST(Cli, PpDebugShowsNumberedTemplates) {
  Result r = run({"-p", kProject, "-t", "baseline.yaml", "pp", "--debug"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(" configs/baseline.yaml "), std::string::npos);
  EXPECT_NE(r.out.find("     1: {#"), std::string::npos) << r.out.substr(0, 400);
}

TEST(Cli, DynamicArgsBecomeFlags) {
  Result help = run({"-p", kProject, "pp", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--max-steps"), std::string::npos) << help.out;
  Result r = run({"-p", kProject, "pp", "--max-steps", "5", "-S", "epoch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("# Dynamic arguments received"), std::string::npos);
  EXPECT_NE(r.out.find("max_steps: 5"), std::string::npos);
}

TEST(Cli, TargetsGraphTrefsMeta) {
  Result t = run({"-p", kProject, "targets"});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("trainer_args\n"), std::string::npos) << t.out;
  Result g = run({"-p", kProject, "graph"});
  ASSERT_EQ(g.code, 0) << g.err;
  EXPECT_NE(g.out.find("!singleton:forgather.ml.trainer:Trainer@trainer"), std::string::npos);
  Result tr = run({"-p", kProject, "trefs", "--format", "tree"});
  ASSERT_EQ(tr.code, 0) << tr.err;
  EXPECT_NE(tr.out.find("[extends] project.yaml"), std::string::npos) << tr.out;
  Result m = run({"-p", kProject, "meta"});
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_NE(m.out.find("meta_defaults.yaml"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("Template Search Paths:"), std::string::npos);
}

TEST(Cli, ConstructWithSetOverride) {
  Result r = run(
      {"-p", kProject, "--set", "meta.config_name=Overridden", "construct", "--target", "meta"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("'config_name': 'Overridden'"), std::string::npos) << r.out;
}

TEST(Cli, ModelDescribesItself) {
  config::testing::TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/m.yaml", "model: !singleton:test:TinyModel {width: 3}\n");
  Result r = run({"-p", dir, "-t", "m.yaml", "model"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("TinyModel(width=3)  params 12"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Total parameters: 12"), std::string::npos) << r.out;
  ws.write("proj/templates/configs/n.yaml", "model: 3\n");
  EXPECT_THROW(run({"-p", dir, "-t", "n.yaml", "model"}), ConfigError);
}

TEST(Cli, HelpListsCommands) {
  Result r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* c : {"ls", "pp", "meta", "targets", "graph", "trefs", "construct", "model"})
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
}

TEST(Cli, ErrorsPropagateAsConfigError) {
  EXPECT_THROW(run({"-p", kProject, "-t", "nope.yaml", "pp"}), ConfigError);
}

}  // namespace
}  // namespace fg::cli
