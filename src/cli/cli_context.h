#pragma once
// State shared by the `forgather` commands: global options, the registry, dynamic options.
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/jinja/value.h"
#include "config/project.h"
#include "config/registry.h"
#include "dist/communicator.h"

namespace fg::cli {

// One config-defined option (spec-config-cli §6.2), registered on a subcommand.
struct DynamicArg {
  std::string dest;  // "max_steps"
  std::string type;  // int, float, str, bool, path
  std::vector<std::string> names;
  std::string help;
  std::vector<std::string> choices;
  bool store_true = false;
  std::string value;  // as given
  bool flag = false;  // store_true value
};

struct CliContext {
  std::string project_dir = ".";
  std::string config_template;
  bool no_dyn = false;
  std::vector<std::string> sets;  // --set key.path=value
  const config::Registry* registry = nullptr;
  std::ostream* out = nullptr;  // stdout unless a test redirects it
  std::vector<std::shared_ptr<DynamicArg>> dynamic_args;
  std::vector<std::string> args;  // the command line after the program name (for --nproc)
  // This process's place among the ranks of a data-parallel run (made in main); null: alone.
  dist::Communicator* communicator = nullptr;

  // Values of dynamic options that were given, as template variables.
  config::jinja::ValueMap dynamic_values(const CLI::App& sub) const;
  // Loads the selected config (dynamic values as template variables), applying --set.
  config::Project load_project(const CLI::App& sub,
                               config::CommentMode mode = config::CommentMode::kPreserve) const;
  std::ostream& output() const;
};

// Loads the config's `dynamic_args` target (names/type/help/choices/action) into ctx; failures
// are reported on stderr and ignored, as in the original.
void load_dynamic_args(CliContext& ctx);
// Adds the loaded dynamic options to a subcommand.
void add_dynamic_options(CLI::App& sub, CliContext& ctx);
// Adds `-o/--output-file`; write_output() then writes there or to ctx.output().
void add_output_option(CLI::App& sub, std::string& path);
void write_output(const CliContext& ctx, const std::string& path, const std::string& text);

}  // namespace fg::cli
