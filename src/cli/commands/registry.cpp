// `forgather registry [NAME]`: the catalogue of registered constructors and their arguments.
#include "cli/commands/commands.h"

namespace fg::cli {

void add_registry_command(CLI::App& app, CliContext& ctx) {
  auto name = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("registry", "List the constructors configs may use");
  sub->add_option("name", *name, "Show one constructor's arguments");
  sub->callback([&ctx, name] {
    std::string s;
    if (!name->empty()) {
      const auto& e = ctx.registry->find(*name);
      s += e.name + " - " + e.summary + "\n";
      // Whether a model directory's config.json may name it (pure ones only).
      s += "  class: " + config::capability_name(e.capability) + "\n";
      for (const auto& a : e.aliases) s += "  alias: " + a + "\n";
      for (const auto& a : e.args)
        s += "  " + a.name + " (" + a.type +
             (a.default_value.empty() ? "" : ", default " + a.default_value) + "): " + a.help +
             "\n";
    } else {
      for (const auto* e : ctx.registry->entries()) s += e->name + " - " + e->summary + "\n";
    }
    ctx.output() << s;
  });
}

}  // namespace fg::cli
