#include "cli/app.h"

#include <iostream>
#include <set>

#include "builders/register_all.h"
#include "cli/cli_context.h"
#include "cli/commands/commands.h"

namespace fg::cli {
namespace {

// Global options are needed before the subcommands are built (dynamic options come from the
// config), so they are pre-scanned here; CLI11 parses them again for real.
void prescan(const std::vector<std::string>& args, CliContext& ctx, std::string* subcommand) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& shortf, const std::string& longf, std::string* dest) {
      if ((a == shortf || a == longf) && i + 1 < args.size()) return *dest = args[++i], true;
      if (a.rfind(longf + "=", 0) == 0) return *dest = a.substr(longf.size() + 1), true;
      return false;
    };
    if (value("-p", "--project-dir", &ctx.project_dir)) continue;
    if (value("-t", "--config-template", &ctx.config_template)) continue;
    std::string ignored;
    if (value("--set", "--set", &ignored)) continue;
    if (a == "--no-dyn") ctx.no_dyn = true;
    if (subcommand->empty() && !a.empty() && a[0] != '-') *subcommand = a;
  }
}

}  // namespace

void register_components(config::Registry& registry) {
  config::register_builtins(registry);
  builders::register_all(registry);
}

void add_core_commands(CLI::App& app, CliContext& ctx) {
  add_ls_command(app, ctx);
  add_pp_command(app, ctx);
  add_meta_command(app, ctx);
  add_targets_command(app, ctx);
  add_graph_command(app, ctx);
  add_trefs_command(app, ctx);
  add_construct_command(app, ctx);
  add_model_command(app, ctx);
  add_registry_command(app, ctx);
  add_scaffold_commands(app, ctx);
  add_info_command(app, ctx);
}

int run_cli(const std::vector<std::string>& args, const config::Registry& registry,
            const CommandAdder& add_commands, std::ostream& out, std::ostream& err) {
  CliContext ctx;
  ctx.registry = &registry;
  ctx.out = &out;
  ctx.args = args;
  std::string subcommand;
  prescan(args, ctx, &subcommand);
  static const std::set<std::string> dynamic = {"pp",        "graph",     "targets", "trefs",
                                                "construct", "model",     "train",   "tb",
                                                "dataset",   "checkpoint"};
  if (dynamic.count(subcommand)) load_dynamic_args(ctx);

  CLI::App app{"forgather: templated configurations for training small language models"};
  app.name("forgather");
  app.fallthrough();
  app.require_subcommand(1);
  app.add_option("-p,--project-dir", ctx.project_dir, "Start directory for project discovery");
  app.add_option("-t,--config-template", ctx.config_template,
                 "Config name relative to the config prefix (default: the default config)");
  app.add_flag("--no-dyn", ctx.no_dyn, "Do not load the config's dynamic options");
  app.add_option("--set", ctx.sets, "Override a config value: key.path=value (repeatable)");
  add_commands(app, ctx);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err);
  }
  return 0;
}

}  // namespace fg::cli
