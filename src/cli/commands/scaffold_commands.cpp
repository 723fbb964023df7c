// `forgather ws create` and `forgather project create|show` (spec-config-cli §6.4).
#include <iostream>

#include "cli/commands/commands.h"
#include "config/scaffold.h"
#include "config/workspace.h"

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

void report_created(const CliContext& ctx, const std::string& what, const fs::path& dir,
                    const std::vector<fs::path>& files) {
  std::ostream& os = ctx.output();
  os << "Creating forgather " << what << " in: " << dir.string() << "\n";
  for (const auto& f : files) os << "Created: " << f.string() << "\n";
}

void add_ws_create(CLI::App& ws, CliContext& ctx) {
  auto spec = std::make_shared<config::WorkspaceSpec>();
  auto dir = std::make_shared<std::string>();
  CLI::App* create = ws.add_subcommand("create", "Create a workspace (forgather_workspace/)");
  create->add_option("--name", spec->name, "Workspace name")->required();
  create->add_option("--description", spec->description, "Workspace description");
  create->add_option("--forgather-dir", spec->forgather_dir,
                     "Pin the directory holding templatelib/ (default: whichever forgather runs)");
  create->add_option("-l,--lib", spec->libs,
                     "Template library under templatelib/ to search (repeatable; default: "
                     "examples, base)");
  create->add_option("--search-path", spec->search_paths,
                     "Extra template directory, searched before the libraries (repeatable)");
  create->add_option("workspace_dir", *dir,
                     "Directory to create (default: <-p>/<name lower-cased, spaces to _>)");
  create->callback([&ctx, spec, dir] {
    spec->dir = !dir->empty() ? fs::path(*dir)
                              : fs::path(ctx.project_dir) /
                                    config::directory_name_for(spec->name, /*drop_dots=*/true);
    const auto files = config::create_workspace(*spec);
    report_created(ctx, "workspace", fs::absolute(spec->dir).lexically_normal(), files);
    ctx.output() << "Workspace '" << spec->name << "' created. Next, from " << spec->dir.string()
                 << ": forgather project create --name \"My Project\"\n";
  });
}

void add_project_create(CLI::App& project, CliContext& ctx) {
  auto spec = std::make_shared<config::ProjectSpec>();
  auto dir_name = std::make_shared<std::string>();
  auto copy_from = std::make_shared<std::string>();
  CLI::App* create = project.add_subcommand("create", "Create a project inside a workspace");
  create->add_option("--name", spec->name, "Project name")->required();
  create->add_option("--description", spec->description, "Project description");
  create->add_option("--config-prefix", spec->config_prefix, "Configs folder under templates/")
      ->capture_default_str();
  create->add_option("--default-config", spec->default_config, "Default config file name")
      ->capture_default_str();
  create->add_option("--project-dir-name", *dir_name,
                     "Directory name (default: the name lower-cased, spaces to _)");
  create->add_option("copy_from", *copy_from,
                     "Config to copy as the default config (default: a small training config)");
  create->callback([&ctx, spec, dir_name, copy_from] {
    const std::string name =
        dir_name->empty() ? config::directory_name_for(spec->name, /*drop_dots=*/false) : *dir_name;
    spec->dir = fs::path(ctx.project_dir) / name;
    spec->copy_from = *copy_from;
    const auto files = config::create_project(*spec);
    report_created(ctx, "project", fs::absolute(spec->dir).lexically_normal(), files);
    ctx.output() << "Project '" << spec->name << "' created. Next: cd " << spec->dir.string()
                 << " && forgather -t " << spec->default_config << " train --dry-run\n";
  });
}

void add_project_show(CLI::App& project, CliContext& ctx) {
  CLI::App* show = project.add_subcommand("show", "Summarise the project's meta-config");
  show->callback([&ctx] {
    const auto m = config::load_meta_config(config::find_project_dir(ctx.project_dir));
    std::ostream& os = ctx.output();
    os << "Project Name: " << m.name << "\nDescription: " << m.description
       << "\nDefault Config: " << m.default_config << "\nProject Directory: " << m.project_dir
       << "\nWorkspace Root: " << m.workspace_root << "\nConfig Prefix: " << m.config_prefix
       << "\nSearch Path: [";
    for (size_t i = 0; i < m.searchdir.size(); ++i)
      os << (i ? ", " : "") << "'" << m.searchdir[i] << "'";
    os << "]\n";
  });
}

}  // namespace

void add_scaffold_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* ws = app.add_subcommand("ws", "Workspaces: ws create");
  ws->require_subcommand(1);
  add_ws_create(*ws, ctx);
  CLI::App* project = app.add_subcommand("project", "Projects: project create, project show");
  project->require_subcommand(1);
  add_project_create(*project, ctx);
  add_project_show(*project, ctx);
}

}  // namespace fg::cli
