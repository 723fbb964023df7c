// `forgather construct [--target T] [--call]`: materialise a target and print it.
#include "cli/commands/commands.h"

namespace fg::cli {

void add_construct_command(CLI::App& app, CliContext& ctx) {
  struct Options {
    std::string target = "main";
    bool call = false;
    std::string output;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("construct", "Materialise a target and print it");
  sub->add_option("--target", o->target, "Target to construct (default: main)");
  sub->add_flag("--call", o->call, "Call the result with no arguments");
  add_output_option(*sub, o->output);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, o] {
    config::Project project = ctx.load_project(*sub);
    config::Object value = config::materialize_targets(project, *ctx.registry, {o->target});
    if (o->call) {
      config::CallArgs none({}, {}, o->target);
      value = value.call(none);
    }
    write_output(ctx, o->output, value.repr());
  });
}

}  // namespace fg::cli
