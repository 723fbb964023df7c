#pragma once
// The `forgather` command line, callable in-process (tests) and from main.cpp.
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "config/registry.h"

namespace fg::cli {

// Parses `args` (without the program name) and runs the subcommand, printing to `out`.
// Returns 0, or CLI11's code for --help (0) and usage errors (non-zero, message on `err`).
// fg::Error exceptions propagate: only main() turns them into exit codes.
// `add_commands` adds the subcommands (main.cpp: add_core_commands plus one line per area).
using CommandAdder = std::function<void(CLI::App&, CliContext&)>;
int run_cli(const std::vector<std::string>& args, const config::Registry& registry,
            const CommandAdder& add_commands, std::ostream& out, std::ostream& err);

// Every constructor configs may name (the executable and the Python module both use it). Areas
// add theirs in app.cpp (one line each).
void register_components(config::Registry& registry);

// ls, pp, meta, targets, graph, trefs, construct, model, registry.
void add_core_commands(CLI::App& app, CliContext& ctx);

}  // namespace fg::cli
