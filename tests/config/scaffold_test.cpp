// New workspaces and projects (`forgather ws create`, `project create`): the files, their
// rendering against the template library, and the refusals that leave nothing behind.
#include "config/scaffold.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "config/project.h"
#include "config/workspace.h"
#include "core/error.h"

namespace fg::config {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path root;
  TempDir() {
    std::random_device rd;
    root = fs::temp_directory_path() / ("fg_scaffold_" + std::to_string(rd()));
    fs::create_directories(root);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

WorkspaceSpec workspace(const std::string& name, const fs::path& dir,
                        const std::string& forgather_dir = "") {
  WorkspaceSpec s;
  s.name = name;
  s.dir = dir;
  s.forgather_dir = forgather_dir;
  return s;
}

ProjectSpec project(const std::string& name, const fs::path& dir) {
  ProjectSpec s;
  s.name = name;
  s.dir = dir;
  return s;
}

TEST(Scaffold, DirectoryNames) {
  EXPECT_EQ(directory_name_for("My Project v1.0", true), "my_project_v10");
  EXPECT_EQ(directory_name_for("My Project v1.0", false), "my_project_v1.0");
}

TEST(Scaffold, WorkspaceFilesFindTheTemplateLibraryWithoutEditing) {
  TempDir t;
  WorkspaceSpec ws = workspace("Lab", t.root / "lab");
  ws.description = "Experiments";
  const auto files = create_workspace(ws);
  ASSERT_EQ(files.size(), 3u);
  const fs::path dir = t.root / "lab" / "forgather_workspace";
  EXPECT_NE(read(dir / "base_directories.yaml").find("ns.forgather_dir = forgather_dir()"),
            std::string::npos);
  const std::string defaults = read(dir / "meta_defaults.yaml");
  for (const char* s : {"-- block searchdir_project", "'examples'", "'base'", "-- block configs"})
    EXPECT_NE(defaults.find(s), std::string::npos) << s << "\n" << defaults;
  EXPECT_NE(read(dir / "README.md").find("# Lab"), std::string::npos);
  // A second create refuses and leaves the first intact.
  EXPECT_NE(error_of([&] { create_workspace(ws); }).find("already exists"), std::string::npos);
  EXPECT_EQ(read(dir / "README.md").find("# Lab"), 0u);
}

TEST(Scaffold, PinnedForgatherDirAbsoluteOrRelativeToTheWorkspace) {
  TempDir t;
  create_workspace(workspace("A", t.root / "a", "/opt/forgather"));
  EXPECT_NE(read(t.root / "a/forgather_workspace/base_directories.yaml")
                .find("-- set ns.forgather_dir = \"/opt/forgather\""),
            std::string::npos);
  const fs::path cwd = fs::current_path();
  fs::current_path(t.root);
  create_workspace(workspace("B", "ws/b", "checkout"));
  fs::current_path(cwd);
  EXPECT_NE(read(t.root / "ws/b/forgather_workspace/base_directories.yaml")
                .find("joinpath(workspace_root, \"../../checkout\")"),
            std::string::npos);
}

TEST(Scaffold, ProjectRendersItsMetaAndDefaultConfig) {
  TempDir t;
  create_workspace(workspace("Lab", t.root / "lab"));
  ProjectSpec p = project("Tiny \"Quoted\" Model", t.root / "lab" / "tiny");
  p.description = "A small test model";
  const auto files = create_project(p);
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files.back(), t.root / "lab/tiny/templates/configs/default.yaml");
  // The project notebook, byte for byte the one in the source tree.
  EXPECT_EQ(files[2], t.root / "lab/tiny/project_index.ipynb");
  EXPECT_EQ(read(t.root / "lab/tiny/project_index.ipynb"),
            read(fs::path(FG_SOURCE_DIR) / "src/config/scaffold/project_index.ipynb"));
  const MetaConfig meta = load_meta_config((t.root / "lab/tiny").string());
  EXPECT_EQ(meta.name, "Tiny \"Quoted\" Model");
  EXPECT_EQ(meta.description, "A small test model");
  EXPECT_EQ(meta.default_config, "default.yaml");
  bool has_base = false;
  for (const auto& d : meta.searchdir) has_base |= d.ends_with("templatelib/base");
  EXPECT_TRUE(has_base);
  // The default config is a whole training config against the template library.
  Project loaded((t.root / "lab/tiny").string());
  const auto targets = loaded.graph().targets();
  for (const char* target : {"tokenizer", "model", "train_dataset", "trainer_args", "main"})
    EXPECT_NE(std::find(targets.begin(), targets.end(), target), targets.end()) << target;
}

TEST(Scaffold, ProjectCopiesAGivenConfig) {
  TempDir t;
  create_workspace(workspace("Lab", t.root / "lab"));
  std::ofstream(t.root / "mine.yaml") << "main: \"copied\"\n";
  ProjectSpec p = project("P", t.root / "lab" / "p");
  p.default_config = "mine.yaml";
  p.copy_from = t.root / "mine.yaml";
  create_project(p);
  EXPECT_EQ(read(t.root / "lab/p/templates/configs/mine.yaml"), "main: \"copied\"\n");
}

TEST(Scaffold, ProjectRefusalsLeaveNothingBehind) {
  TempDir t;
  const std::string outside = error_of([&] { create_project(project("P", t.root / "p")); });
  EXPECT_NE(outside.find("no workspace found"), std::string::npos) << outside;
  EXPECT_NE(outside.find("forgather ws create"), std::string::npos) << outside;
  EXPECT_FALSE(fs::exists(t.root / "p"));
  create_workspace(workspace("Lab", t.root / "lab"));
  const std::string jinja =
      error_of([&] { create_project(project("{{ x }}", t.root / "lab" / "x")); });
  EXPECT_NE(jinja.find("--name must not contain '{{'"), std::string::npos) << jinja;
  EXPECT_FALSE(fs::exists(t.root / "lab" / "x"));
  ProjectSpec copy = project("P", t.root / "lab" / "p");
  copy.copy_from = t.root / "nope.yaml";
  const std::string missing = error_of([&] { create_project(copy); });
  EXPECT_NE(missing.find("is not a file"), std::string::npos) << missing;
  EXPECT_FALSE(fs::exists(t.root / "lab" / "p"));
}

}  // namespace
}  // namespace fg::config
