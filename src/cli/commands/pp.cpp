// `forgather [-t CONFIG] pp [--debug]`: the preprocessed and rendered configuration.
#include <fmt/format.h>

#include "cli/commands/commands.h"
#include "config/preprocessor.h"

namespace fg::cli {
namespace {

struct PpOptions {
  bool debug = false;
  std::string output;
};

// §3.9: each compiled template, a centred header then its preprocessed lines numbered.
std::string debug_listing(const config::RenderedConfig& r) {
  std::string out;
  for (const auto& t : r.templates) {
    out += fmt::format("{:-^80}\n", " " + t.name + " ");
    const auto lines = config::split_lines(t.source.text);
    for (size_t i = 0; i < lines.size(); ++i)
      out += fmt::format("{:6d}: {}\n", t.source.first_line + static_cast<int64_t>(i), lines[i]);
  }
  return out;
}

void run_pp(CliContext& ctx, const CLI::App& sub, const PpOptions& o) {
  const auto mode = o.debug ? config::CommentMode::kPreserve : config::CommentMode::kDelete;
  config::Project project = ctx.load_project(sub, mode);
  std::string text;
  const auto dyn = ctx.dynamic_values(sub);
  if (!dyn.empty()) {
    text += "# Dynamic arguments received: " + config::jinja::Value::dict(dyn).str() + "\n\n";
  }
  if (o.debug) text += debug_listing(project.rendered());
  text += project.rendered().text;
  write_output(ctx, o.output, text);
}

}  // namespace

void add_pp_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<PpOptions>();
  auto* sub = app.add_subcommand("pp", "Print the preprocessed and rendered configuration");
  sub->add_flag("-d,--debug", opts->debug,
                "Show every compiled template's preprocessed source with line numbers");
  add_output_option(*sub, opts->output);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, opts] { run_pp(ctx, *sub, *opts); });
}

}  // namespace fg::cli
