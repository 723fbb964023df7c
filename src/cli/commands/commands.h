#pragma once
// One function per `forgather` subcommand; main.cpp calls each once.
#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace fg::cli {

void add_ls_command(CLI::App& app, CliContext& ctx);
void add_pp_command(CLI::App& app, CliContext& ctx);
void add_meta_command(CLI::App& app, CliContext& ctx);
void add_targets_command(CLI::App& app, CliContext& ctx);
void add_graph_command(CLI::App& app, CliContext& ctx);
void add_trefs_command(CLI::App& app, CliContext& ctx);
void add_construct_command(CLI::App& app, CliContext& ctx);
void add_model_command(CLI::App& app, CliContext& ctx);
void add_registry_command(CLI::App& app, CliContext& ctx);
void add_scaffold_commands(CLI::App& app, CliContext& ctx);  // ws, project
void add_info_command(CLI::App& app, CliContext& ctx);       // and --version

}  // namespace fg::cli
