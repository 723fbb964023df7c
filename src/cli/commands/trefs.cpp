// `forgather trefs [--format files|md|tree]`: templates loaded while rendering the config and
// the extends/include/import edges between them.
#include <filesystem>
#include <functional>
#include <set>

#include "cli/commands/commands.h"

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

std::string file_of(const config::RenderedConfig& r, const std::string& name) {
  for (const auto& t : r.templates)
    if (t.name == name) return t.source.filename;
  return "";
}

std::string render_trefs(const config::RenderedConfig& r, const std::string& format) {
  std::string s;
  if (format == "files") {
    for (const auto& t : r.templates)
      s += (t.source.filename.empty() ? t.name : fs::relative(t.source.filename).string()) + "\n";
    return s;
  }
  if (format == "tree")
    s += "Template Hierarchy for " + r.template_name + "\n" +
         std::string(23 + r.template_name.size(), '=') + "\n";
  std::set<std::string> on_path;
  std::function<void(const std::string&, const std::string&, int, const std::string&)> walk =
      [&](const std::string& name, const std::string& kind, int depth, const std::string& prefix) {
        const std::string file = file_of(r, name);
        const std::string label = (kind.empty() ? "" : "[" + kind + "] ") + name;
        if (format == "md") {
          s += std::string(depth * 4, ' ') + "- [" + name + "](" +
               (file.empty() ? name : fs::relative(file).string()) + ")" +
               (kind.empty() ? "" : " (" + kind + ")") + "\n";
        } else {
          s += prefix + label + "\n";
        }
        if (!on_path.insert(name).second) return;  // a cycle the engine already reported
        for (const auto& e : r.edges)
          if (e.from == name) walk(e.to, e.kind, depth + 1, std::string(depth * 4, ' ') + "└── ");
        on_path.erase(name);
      };
  walk(r.template_name, "", 0, "");
  return s;
}

}  // namespace

void add_trefs_command(CLI::App& app, CliContext& ctx) {
  struct Options {
    std::string format = "files";
    std::string output;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("trefs", "Templates referenced by the configuration");
  sub->add_option("--format", o->format, "files (default), md or tree")
      ->check(CLI::IsMember({"files", "md", "tree"}));
  add_output_option(*sub, o->output);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, o] {
    config::Project project = ctx.load_project(*sub);
    write_output(ctx, o->output, render_trefs(project.rendered(), o->format));
  });
}

}  // namespace fg::cli
