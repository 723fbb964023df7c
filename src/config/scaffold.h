#pragma once
// New workspaces and projects from templates (`forgather ws create`, `forgather project create`,
// spec-config-cli §6.4). A new workspace finds the template library through forgather_dir(), so
// nothing needs editing; a new project's default config trains a small model as it stands.
#include <filesystem>
#include <string>
#include <vector>

namespace fg::config {

struct WorkspaceSpec {
  std::string name;
  std::string description;
  std::filesystem::path dir;  // the workspace directory (forgather_workspace/ goes inside)
  // Empty: `forgather_dir()` at render time. Else pinned: absolute as given, relative ones become
  // joinpath(workspace_root, ...) so the workspace can move with its checkout.
  std::string forgather_dir;
  std::vector<std::string> libs;  // template libraries under templatelib/; empty: examples, base
  std::vector<std::string> search_paths;  // extra template directories, searched first
};

struct ProjectSpec {
  std::string name;
  std::string description;
  std::filesystem::path dir;  // the project directory; it must lie inside a workspace
  std::string config_prefix = "configs";
  std::string default_config = "default.yaml";
  std::filesystem::path copy_from;  // empty: a small training config written from a template
};

// "My Project v1.0" -> "my_project_v10" (drop_dots) or "my_project_v1.0".
std::string directory_name_for(const std::string& name, bool drop_dots);

// Both return the files written, and throw fg::Error (nothing written) when the directory exists.
std::vector<std::filesystem::path> create_workspace(const WorkspaceSpec& spec);
std::vector<std::filesystem::path> create_project(const ProjectSpec& spec);

}  // namespace fg::config
