#include "config/project.h"

#include <filesystem>
#include <unordered_map>

#include "config/environment_setup.h"
#include "config/graph_override.h"
#include "config/plain_value.h"
#include "config/template_loader.h"
#include "config/yaml_loader.h"
#include "core/strings.h"

namespace fg::config {

namespace fs = std::filesystem;

Project::Project(const std::string& start_dir, ProjectOptions options)
    : options_(std::move(options)) {
  meta_ = load_meta_config(find_project_dir(start_dir));
  config_name_ = options_.config_name.empty() ? default_config_name(meta_) : options_.config_name;
  render();
}

void Project::render() {
  auto loader = std::make_shared<TemplateLoader>(meta_.searchdir, options_.comment_mode);
  auto env = make_environment(loader, meta_.project_dir, meta_.workspace_root);
  rendered_.template_name = (fs::path(meta_.config_prefix) / config_name_).string();
  rendered_.search_path = loader->search_path();
  if (!loader->load(rendered_.template_name)) {
    std::vector<std::string> names;
    for (const auto& c : enumerate_configs(meta_)) names.push_back(c.name);
    throw ConfigError("[Project] config '" + config_name_ + "' not found: expected '" +
                      rendered_.template_name + "' in the search path '" +
                      join(rendered_.search_path, "', '") + "'" +
                      did_you_mean(config_name_, names) +
                      (names.empty() ? "" : "; configs: " + join(names, ", ")));
  }
  rendered_.text = env->render(rendered_.template_name, options_.template_vars);
  rendered_.templates = env->compiled_templates();
  rendered_.edges = env->template_edges();
}

namespace {

struct LineIndex {
  std::unordered_map<std::string, std::vector<SourceLocation>> exact;
  std::vector<std::pair<std::string, SourceLocation>> heads;  // literal text before "{{"
};

LineIndex build_index(const std::vector<jinja::Environment::TemplateRecord>& templates) {
  LineIndex index;
  for (const auto& t : templates) {
    const auto lines = split_lines(t.source.text);
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string line(trim(lines[i]));
      if (line.empty() || starts_with(line, "{#")) continue;
      SourceLocation loc{t.source.filename.empty() ? t.name : t.source.filename,
                         t.source.first_line + static_cast<int64_t>(i), 0};
      index.exact[line].push_back(loc);
      const size_t expr = line.find("{{");
      if (expr != std::string::npos && expr > 0)
        index.heads.emplace_back(line.substr(0, expr), loc);
    }
  }
  return index;
}

const SourceLocation* choose(const std::vector<const SourceLocation*>& candidates,
                             const SourceLocation& previous) {
  const SourceLocation* best = nullptr;
  for (const auto* c : candidates)
    if (c->file == previous.file && c->line > previous.line && (!best || c->line < best->line))
      best = c;
  return best ? best : candidates.front();
}

}  // namespace

SourceLocation Project::locate_rendered_line(int64_t line0) const {
  if (line0 >= 0 && line0 < static_cast<int64_t>(line_map_.size())) return line_map_[line0];
  return {"<rendered " + rendered_.template_name + ">", line0 + 1, 0};
}

const Graph& Project::graph() {
  if (graph_) return *graph_;
  const LineIndex index = build_index(rendered_.templates);
  const auto lines = split_lines(rendered_.text);
  SourceLocation previous;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string line(trim(lines[i]));
    std::vector<const SourceLocation*> candidates;
    if (auto it = index.exact.find(line); !line.empty() && it != index.exact.end()) {
      for (const auto& l : it->second) candidates.push_back(&l);
    } else if (!line.empty()) {
      size_t best = 0;
      for (const auto& [head, loc] : index.heads) {
        if (head.size() < best || !starts_with(line, head)) continue;
        if (head.size() > best) candidates.clear(), best = head.size();
        candidates.push_back(&loc);
      }
    }
    if (candidates.empty()) {
      line_map_.push_back(
          {"<rendered " + rendered_.template_name + ">", static_cast<int64_t>(i) + 1, 0});
    } else {
      previous = *choose(candidates, previous);
      line_map_.push_back(previous);
    }
  }
  YamlLoadOptions opts;
  opts.source_name = "<rendered " + rendered_.template_name + ">";
  opts.mapper = [this](int64_t line0) { return locate_rendered_line(line0); };
  graph_ = load_yaml_graph(rendered_.text, opts);
  return *graph_;
}

void Project::set_value(const std::string& path, const std::string& value) {
  graph();
  apply_override(*graph_, path, value);
}

Object materialize_targets(Project& project, const Registry& registry,
                           const std::vector<std::string>& targets, Context vars) {
  vars.emplace("pp_config", Object::string(project.rendered().text));
  Materializer m(registry, project.graph());
  if (targets.empty()) return m.target("main", vars);
  if (targets.size() == 1) return m.target(targets.front(), vars);
  ObjectDict out;
  for (const auto& t : targets) out.emplace_back(t, m.target(t, vars));
  return Object::dict(std::move(out));
}

namespace {

std::vector<std::string> target_names(const Object* o) {
  if (!o || o->is_none()) return {};
  if (o->type() == Object::Type::kString)
    return o->as_string().empty() ? std::vector<std::string>{} : std::vector{o->as_string()};
  std::vector<std::string> names;
  for (const auto& t : o->as_list()) names.push_back(t.as_string());
  return names;
}

Object from_project(CallArgs& a, BuildContext& ctx) {
  ProjectOptions opts;
  const std::string dir = a.required("project_dir", 0).as_string();
  opts.config_name = a.get_string("config_template", 1, "");
  const auto targets = target_names(a.get("targets", 2));
  a.get("pp_debug", -1);
  if (const Object* kw = a.get("pp_kwargs", -1); kw && !kw->is_none())
    for (const auto& [k, v] : kw->as_dict())
      opts.template_vars.set(k, jinja::Value::from_json(object_to_json(v)));
  Context vars;
  for (auto& [k, v] : a.rest_keywords()) vars.emplace(k, v);
  a.finish();
  Project project(dir, std::move(opts));
  return materialize_targets(project, ctx.materializer->registry(), targets, std::move(vars));
}

Object load_from_config(CallArgs& a, BuildContext& ctx) {
  ProjectOptions opts;
  const std::string dir = a.required("project_dir", 0).as_string();
  opts.config_name = a.get_string("config_template", 1, "");
  const auto targets = target_names(a.get("targets", 2));
  Context vars;
  for (auto& [k, v] : a.rest_keywords()) vars.emplace(k, v);
  a.finish();
  Project project(dir, std::move(opts));
  return materialize_targets(project, ctx.materializer->registry(), targets, std::move(vars));
}

}  // namespace

void register_builtins(Registry& registry) {
  register_core_builtins(registry);
  register_project_builtins(registry);
}

void register_project_builtins(Registry& registry) {
  RegistryEntry e;
  e.name = "forgather:from_project";
  e.summary = "Materialise targets of another project's config";
  e.args = {{"project_dir", "path", "", "project directory (searched upward for meta.yaml)"},
            {"config_template", "str", "default config", "config name"},
            {"targets", "str|list", "main", "target name(s)"},
            {"pp_kwargs", "dict", "{}", "template variables"}};
  e.build = from_project;
  e.capability = Capability::kProject;
  registry.add(e);
  e.name = "forgather.ml.construct:load_from_config";
  e.summary = "Deprecated form of forgather:from_project";
  e.build = load_from_config;
  registry.add(e);
}

}  // namespace fg::config
