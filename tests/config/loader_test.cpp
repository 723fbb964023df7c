#include "config/template_loader.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "config/workspace.h"
#include "temp_workspace.h"

namespace fg::config {
namespace {

using testing::TempWorkspace;

TEST(TemplateLoader, SearchOrderAndSplitDocuments) {
  TempWorkspace ws;
  ws.write("a/x.yaml", "top\n#---- x.sub ----\nsub {{ 1 }}\n");
  ws.write("b/x.yaml", "shadowed\n");
  ws.write("b/x.sub", "file that the sub-template shadows\n");
  TemplateLoader loader({ws.path("a"), ws.path("missing"), ws.path("b")});
  EXPECT_EQ(loader.search_path().size(), 2u);  // missing dirs dropped
  EXPECT_EQ(loader.load("x.sub")->text, "file that the sub-template shadows\n");
  auto x = loader.load("x.yaml");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->text, "top");
  auto sub = loader.load("x.sub");  // registered by loading x.yaml; shadows the file now
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->first_line, 3);
  EXPECT_EQ(sub->text, "sub {{ 1 }}\n");
  EXPECT_FALSE(loader.load("../a/x.yaml"));
  EXPECT_FALSE(loader.load("nope.yaml"));
}

TEST(TemplateLoader, PreprocessesInChosenMode) {
  TempWorkspace ws;
  ws.write("t.yaml", "## c\n-- set x = 1\n");
  TemplateLoader keep({ws.path()}, CommentMode::kPreserve);
  TemplateLoader drop({ws.path()}, CommentMode::kDelete);
  EXPECT_EQ(keep.load("t.yaml")->text, "{#  c #}\n{% set x = 1 %}\n");
  EXPECT_EQ(drop.load("t.yaml")->text, "{% set x = 1 %}\n");
}

TEST(Workspace, DiscoveryWalksUp) {
  TempWorkspace ws;
  const std::string proj = ws.project("group/proj");
  ws.write("group/proj/templates/configs/deep/x.yaml", "a: 1\n");
  ws.write("group/proj/templates/configs/.hidden/y.yaml", "a: 1\n");
  ws.write("group/proj/templates/configs/b.yaml", "a: 1\n");
  EXPECT_EQ(find_project_dir(proj + "/templates/configs/deep"), proj);
  EXPECT_EQ(find_workspace_root(proj) + "/", ws.path());
  const MetaConfig meta = load_meta_config(proj);
  EXPECT_EQ(meta.name, "Test");
  EXPECT_EQ(meta.config_prefix, "configs");
  std::vector<std::string> names;
  for (const auto& c : enumerate_configs(meta)) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"b.yaml", "deep/x.yaml"}));
  EXPECT_EQ(default_config_name(meta), "b.yaml");
}

TEST(Workspace, ForgatherDirHonoursEnvironment) {
  const char* old = std::getenv("FORGATHER_DIR");
  const std::string saved = old ? old : "";
  setenv("FORGATHER_DIR", "/opt/fg", 1);
  EXPECT_EQ(forgather_dir(), "/opt/fg");
  if (old)
    setenv("FORGATHER_DIR", saved.c_str(), 1);
  else
    unsetenv("FORGATHER_DIR");
  EXPECT_TRUE(std::filesystem::is_directory(forgather_dir() + "/templatelib"));
}

}  // namespace
}  // namespace fg::config
