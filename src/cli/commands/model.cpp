// `forgather model [--target model]`: builds the model and prints its module tree with
// per-module and total parameter counts, through the Describable hook builders provide.
#include <fmt/format.h>

#include "cli/commands/commands.h"

namespace fg::cli {

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
    config::Object value = config::materialize_targets(project, *ctx.registry, {o->target});
    if (value.type() == config::Object::Type::kCallable) {  // a model factory (partial)
      config::CallArgs none({}, {}, o->target);
      value = value.call(none);
    }
    auto d = value.describable();
    if (!d)
      value.fail_expected("a model component that can describe itself (target '" + o->target +
                          "')");
    write_output(ctx, o->output,
                 d->describe() + fmt::format("\nTotal parameters: {}", d->parameter_count()));
  });
}

}  // namespace fg::cli
