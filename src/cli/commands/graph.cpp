// `forgather graph [--format yaml|none]`: the resolved node graph.
#include "cli/commands/commands.h"
#include "config/graph_yaml.h"

namespace fg::cli {

void add_graph_command(CLI::App& app, CliContext& ctx) {
  struct Options {
    std::string format = "yaml";
    bool debug = false;
    std::string output;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("graph", "Print the parsed node graph");
  sub->add_option("--format", o->format, "yaml (default) or none (validate only)")
      ->check(CLI::IsMember({"yaml", "none"}));
  sub->add_flag("-d,--debug", o->debug, "Keep ## comments while rendering");
  add_output_option(*sub, o->output);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, o] {
    const auto mode = o->debug ? config::CommentMode::kPreserve : config::CommentMode::kDelete;
    config::Project project = ctx.load_project(*sub, mode);
    const config::Graph& graph = project.graph();
    if (o->format == "none") return;
    write_output(ctx, o->output, config::graph_to_yaml(graph));
  });
}

}  // namespace fg::cli
