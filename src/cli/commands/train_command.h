#pragma once
// `forgather -t CONFIG train`: materialises the config's `main` target (a TrainingScript, or a
// tokenizer for tokenizer projects) and runs it in-process.
#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace fg::cli {

// Options: --dry-run, -d/--devices, --max-steps N, --resume [PATH], plus the dynamic args.
// Training errors propagate (exit 1); an interrupt propagates fg::Interrupted (main: exit 130).
void add_train_command(CLI::App& app, CliContext& ctx);

}  // namespace fg::cli
