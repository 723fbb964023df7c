// `forgather targets`: the config's top-level targets in document order.
#include "cli/commands/commands.h"
#include "core/strings.h"

namespace fg::cli {

void add_targets_command(CLI::App& app, CliContext& ctx) {
  auto output = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("targets", "List the configuration's targets");
  add_output_option(*sub, *output);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, output] {
    config::Project project = ctx.load_project(*sub);
    write_output(ctx, *output, join(project.graph().targets(), "\n"));
  });
}

}  // namespace fg::cli
