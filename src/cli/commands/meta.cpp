// `forgather meta`: the meta-config as Markdown (spec-config-cli §6.4).
#include <filesystem>

#include "cli/commands/commands.h"
#include "config/workspace.h"

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

std::string meta_markdown(const config::MetaConfig& m) {
  std::string s = "# Meta Config\n\n";
  s += "Meta Config: [" + m.meta_path + "](" + fs::relative(m.meta_path).string() + ")\n\n";
  // Templates referenced while rendering meta.yaml, nested by extends/include edges.
  std::function<void(const std::string&, int)> walk = [&](const std::string& name, int depth) {
    if (depth > 32) return;
    s += std::string(depth * 4, ' ') + "- " + name + "\n";
    for (const auto& e : m.meta_edges)
      if (e.from == name) walk(e.to, depth + 1);
  };
  walk("meta.yaml", 0);
  s += "\nProject Directory: " + m.project_dir + "\n";
  s += "Workspace Root: " + m.workspace_root + "\n";
  s += "Name: " + m.name + "\nDescription: " + m.description + "\n";
  s += "Config Prefix: " + m.config_prefix + "\n";
  s += "Default Config: " +
       (m.default_config.empty() ? std::string("(first config)") : m.default_config) + "\n";
  s += "\nTemplate Search Paths:\n";
  for (const auto& d : m.searchdir)
    s += "- " + d + (fs::is_directory(d) ? "" : " (missing; ignored)") + "\n";
  return s;
}

}  // namespace

void add_meta_command(CLI::App& app, CliContext& ctx) {
  auto output = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("meta", "Show the project's meta-config");
  add_output_option(*sub, *output);
  sub->callback([&ctx, output] {
    const auto meta = config::load_meta_config(config::find_project_dir(ctx.project_dir));
    write_output(ctx, *output, meta_markdown(meta));
  });
}

}  // namespace fg::cli
