#include "config/workspace.h"

#include <cstdlib>
#include <filesystem>

#include "config/environment_setup.h"
#include "config/plain_value.h"
#include "config/template_loader.h"
#include "config/yaml_loader.h"
#include "core/strings.h"

#ifndef FG_INSTALL_DATADIR
#define FG_INSTALL_DATADIR ""
#endif
#ifndef FG_SOURCE_DIR
#define FG_SOURCE_DIR "."
#endif

namespace fg::config {

namespace fs = std::filesystem;

std::string find_project_dir(const std::string& start) {
  const fs::path begin = fs::absolute(start).lexically_normal();
  std::error_code ec;
  for (fs::path dir = begin;; dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / "meta.yaml", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  throw ConfigError("[Project] no project found: expected a meta.yaml in '" + begin.string() +
                    "' or one of its parent directories, found none");
}

std::string find_workspace_root(const std::string& project_dir) {
  const fs::path begin = fs::absolute(project_dir).lexically_normal();
  std::error_code ec;
  for (fs::path dir = begin;; dir = dir.parent_path()) {
    if (fs::is_directory(dir / "forgather_workspace", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  throw ConfigError(
      "[Project] no workspace found: expected a 'forgather_workspace' directory in '" +
      begin.string() + "' or one of its parent directories, found none");
}

std::string forgather_dir() {
  if (const char* env = std::getenv("FORGATHER_DIR"); env && *env) return env;
  std::error_code ec;
  const std::string installed = FG_INSTALL_DATADIR;
  if (!installed.empty() && fs::is_directory(fs::path(installed) / "templatelib", ec))
    return installed;
  return FG_SOURCE_DIR;
}

std::string forgather_config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return (fs::path(xdg) / "forgather").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home ? home : ".") / ".config" / "forgather").string();
}

std::vector<std::string> MetaConfig::search_path() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& d : searchdir)
    if (fs::is_directory(d, ec)) out.push_back(d);
  return out;
}

namespace {

std::string string_field(const Object& meta, const char* key, const std::string& fallback) {
  const Object* v = meta.find(key);
  if (!v || v->is_none()) return fallback;
  return v->as_string();
}

void read_meta_fields(MetaConfig& meta) {
  if (meta.raw.type() != Object::Type::kDict)
    meta.raw.fail_expected("a mapping at the top of meta.yaml");
  if (const Object* dirs = meta.raw.find("searchdir"); dirs && !dirs->is_none()) {
    for (const auto& d : dirs->as_list())
      meta.searchdir.push_back(fs::absolute(d.as_string()).lexically_normal().string());
  } else {
    meta.searchdir.push_back((fs::path(meta.project_dir) / "templates").string());
  }
  meta.config_prefix = string_field(meta.raw, "config_prefix", "configs");
  meta.default_config = string_field(meta.raw, "default_config", "");
  meta.name = string_field(meta.raw, "name", "");
  meta.description = string_field(meta.raw, "description", "");
  meta.system_path = string_field(meta.raw, "system_path", "");
}

}  // namespace

MetaConfig load_meta_config(const std::string& project_dir) {
  MetaConfig meta;
  meta.project_dir = fs::absolute(project_dir).lexically_normal().string();
  if (ends_with(meta.project_dir, "/") && meta.project_dir.size() > 1) meta.project_dir.pop_back();
  std::error_code ec;
  if (!fs::is_directory(meta.project_dir, ec))
    throw ConfigError("[Project] expected a project directory, found no directory '" +
                      meta.project_dir + "'");
  meta.meta_path = (fs::path(meta.project_dir) / "meta.yaml").string();
  if (!fs::is_regular_file(meta.meta_path, ec))
    throw ConfigError("[Project] expected the template 'meta.yaml' in '" + meta.project_dir +
                      "', found none");
  meta.workspace_root = find_workspace_root(meta.project_dir);
  meta.meta_search_path = {meta.project_dir,
                           (fs::path(meta.workspace_root) / "forgather_workspace").string(),
                           (fs::path(forgather_config_dir()) / "templates").string()};
  auto loader = std::make_shared<TemplateLoader>(meta.meta_search_path);
  meta.meta_search_path = loader->search_path();
  auto env = make_environment(loader, meta.project_dir, meta.workspace_root);
  jinja::ValueMap vars;
  vars.set("workspace_root", jinja::Value(meta.workspace_root));
  const std::string text = env->render("meta.yaml", vars);
  meta.meta_templates = env->compiled_templates();
  meta.meta_edges = env->template_edges();
  YamlLoadOptions opts;
  opts.source_name = meta.meta_path + " (rendered)";
  Graph g = load_yaml_graph(text, opts);
  meta.raw = g.root->kind == NodeKind::kNull ? Object::dict({}) : plain_object(g.root);
  read_meta_fields(meta);
  return meta;
}

std::vector<ConfigFile> enumerate_configs(const MetaConfig& meta) {
  std::vector<ConfigFile> out;
  std::error_code ec;
  for (const auto& dir : meta.search_path()) {
    const fs::path root = fs::path(dir) / meta.config_prefix;
    if (!fs::is_directory(root, ec)) continue;
    std::vector<ConfigFile> here;
    // A hostile tree (symlink loops, unreadable directories) skips the bad entries, never throws.
    auto it =
        fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::end(it); it.increment(ec)) {
      std::error_code entry_ec;
      const std::string fname = it->path().filename().string();
      if (it->is_directory(entry_ec) && starts_with(fname, ".")) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(entry_ec) && ends_with(fname, ".yaml"))
        here.push_back({it->path().lexically_relative(root).string(), it->path().string()});
    }
    std::sort(here.begin(), here.end(), [](auto& a, auto& b) { return a.name < b.name; });
    out.insert(out.end(), here.begin(), here.end());
  }
  return out;
}

std::string default_config_name(const MetaConfig& meta) {
  if (!meta.default_config.empty()) return meta.default_config;
  const auto configs = enumerate_configs(meta);
  if (configs.empty())
    throw ConfigError("[Project] no default config: expected '" + meta.config_prefix +
                      "/*.yaml' in the search path (" + join(meta.search_path(), ", ") +
                      "), found none");
  return configs.front().name;
}

}  // namespace fg::config
