#pragma once
// The `forgather` command line, callable in-process (tests) and from main.cpp.
#include <iosfwd>
#include <string>
#include <vector>

#include "config/registry.h"

namespace fg::cli {

// Parses `args` (without the program name) and runs the subcommand, printing to `out`.
// Returns 0, or CLI11's code for --help (0) and usage errors (non-zero, message on `err`).
// fg::Error exceptions propagate: only main() turns them into exit codes.
int run_cli(const std::vector<std::string>& args, const config::Registry& registry,
            std::ostream& out, std::ostream& err);

}  // namespace fg::cli
