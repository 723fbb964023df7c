#pragma once
// Workspace and project discovery, the meta-config (meta.yaml rendered as a template) and config
// enumeration (spec-config-cli §2).
#include <string>
#include <vector>

#include "config/jinja/environment.h"
#include "config/object.h"

namespace fg::config {

// Nearest ancestor-or-self of `start` holding a meta.yaml file. Throws ConfigError.
std::string find_project_dir(const std::string& start);
// Nearest ancestor-or-self of `project_dir` holding a forgather_workspace/ directory.
std::string find_workspace_root(const std::string& project_dir);

// The directory holding templatelib/: $FORGATHER_DIR, else the installed data dir
// (FG_INSTALL_DATADIR) when it has a templatelib/, else the source tree (FG_SOURCE_DIR).
std::string forgather_dir();
// $XDG_CONFIG_HOME/forgather or ~/.config/forgather.
std::string forgather_config_dir();

struct MetaConfig {
  std::string project_dir;             // absolute
  std::string workspace_root;          // absolute
  std::string meta_path;               // <project_dir>/meta.yaml
  std::vector<std::string> searchdir;  // absolute (CWD-relative entries resolved), may not exist
  std::string config_prefix = "configs";
  std::string default_config;  // "" when meta.yaml does not set it
  std::string name, description, system_path;
  Object raw;  // the whole meta mapping as plain values
  std::vector<std::string> meta_search_path;
  std::vector<jinja::Environment::TemplateRecord> meta_templates;  // for `forgather meta`
  std::vector<jinja::Environment::TemplateEdge> meta_edges;

  std::vector<std::string> search_path() const;  // existing searchdir entries
};

// Renders and reads <project_dir>/meta.yaml (project_dir must be the project itself).
MetaConfig load_meta_config(const std::string& project_dir);

struct ConfigFile {
  std::string name;  // relative to <searchdir>/<config_prefix>, e.g. "baseline.yaml"
  std::string path;  // absolute file path
};
// Every *.yaml under <dir>/<prefix> for each search dir in order, skipping dot-directories; names
// sorted within a search dir (the original used filesystem order).
std::vector<ConfigFile> enumerate_configs(const MetaConfig& meta);
// meta.default_config, else the first enumerated config. Throws when there is none.
std::string default_config_name(const MetaConfig& meta);

}  // namespace fg::config
