#pragma once
// Test helper: a throw-away workspace directory with files written from strings.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace fg::config::testing {

class TempWorkspace {
 public:
  TempWorkspace() {
    std::random_device rd;
    root_ = std::filesystem::temp_directory_path() /
            ("fg_ws_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(root_ / "forgather_workspace");
  }
  ~TempWorkspace() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempWorkspace(const TempWorkspace&) = delete;
  TempWorkspace& operator=(const TempWorkspace&) = delete;

  void write(const std::string& rel, const std::string& text) const {
    const auto p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  // A project at root/<name> whose meta.yaml searches its templates/ then the workspace dir.
  std::string project(const std::string& name = "proj") const {
    write(name + "/meta.yaml",
          "searchdir:\n  - \"{{ project_dir }}/templates\"\n"
          "  - \"{{ workspace_root }}/forgather_workspace\"\n"
          "name: Test\ndescription: A test project\n");
    return (root_ / name).string();
  }
  std::string path(const std::string& rel = "") const { return (root_ / rel).string(); }

 private:
  std::filesystem::path root_;
};

}  // namespace fg::config::testing
