// `forgather model [--target model]`: builds the model and prints its module tree with
// per-module and total parameter counts, through the Describable hook builders provide.
#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "cli/commands/model_command.h"

namespace fg::cli {

ModelSummary summarize_model(config::Project& project, const config::Registry& registry,
                             const std::string& target) {
  config::Object value = config::materialize_targets(project, registry, {target});
  if (value.type() == config::Object::Type::kCallable) {  // a model factory (partial)
    config::CallArgs none({}, {}, target);
    value = value.call(none);
  }
  auto d = value.describable();
  if (!d)
    value.fail_expected("a model component that can describe itself (target '" + target + "')");
  return {value, d};
}

void add_model_command(CLI::App& app, CliContext& ctx) {
  struct Options {
    std::string target = "model";
    std::string output;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("model", "Build the model and print its modules and parameters");
  sub->add_option("--target", o->target, "Target holding the model (default: model)");
  add_output_option(*sub, o->output);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, o] {
    config::Project project = ctx.load_project(*sub);
    const ModelSummary m = summarize_model(project, *ctx.registry, o->target);
    write_output(ctx, o->output, m.tree() + fmt::format("\nTotal parameters: {}", m.parameters()));
  });
}

}  // namespace fg::cli
