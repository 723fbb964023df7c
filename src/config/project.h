#pragma once
// A loaded project configuration (spec-config-cli §2.8): meta-config, the rendered config text,
// its graph, and materialisation of targets through a registry.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/graph.h"
#include "config/jinja/environment.h"
#include "config/materializer.h"
#include "config/preprocessor.h"
#include "config/workspace.h"

namespace fg::config {

struct RenderedConfig {
  std::string template_name;  // "<config_prefix>/<config name>"
  std::string text;
  std::vector<jinja::Environment::TemplateRecord> templates;  // compile order
  std::vector<jinja::Environment::TemplateEdge> edges;
  std::vector<std::string> search_path;
};

struct ProjectOptions {
  std::string config_name;        // "" -> default config
  jinja::ValueMap template_vars;  // render variables (CLI dynamic args, pp_kwargs)
  CommentMode comment_mode = CommentMode::kPreserve;
};

class Project {
 public:
  // `start_dir` is searched upward for meta.yaml.
  explicit Project(const std::string& start_dir, ProjectOptions options = {});

  const MetaConfig& meta() const { return meta_; }
  const std::string& config_name() const { return config_name_; }
  const RenderedConfig& rendered() const { return rendered_; }
  // Parses the rendered text on first use; errors name the original template file:line.
  const Graph& graph();
  // Applies `--set key.path=value` overrides to the parsed graph.
  void set_value(const std::string& path, const std::string& value);
  // Maps a 0-based rendered line to the template file:line it most likely came from.
  SourceLocation locate_rendered_line(int64_t line0) const;

 private:
  void render();

  MetaConfig meta_;
  std::string config_name_;
  ProjectOptions options_;
  RenderedConfig rendered_;
  std::optional<Graph> graph_;
  std::vector<SourceLocation> line_map_;  // per rendered line
};

// Materialises `targets` of a project (what `!call:forgather:from_project` does): "" -> main; one
// name -> its value; several -> a dict. `pp_config` is always a context variable.
Object materialize_targets(Project& project, const Registry& registry,
                           const std::vector<std::string>& targets, Context vars = {});

// Registers forgather:from_project and forgather.ml.construct:load_from_config.
void register_project_builtins(Registry& registry);

}  // namespace fg::config
