#pragma once
// `forgather export hf RUN_DIR OUT_DIR`: writes a trained model directory (or checkpoint) as a
// Hugging Face model directory (see docs/interop.md).
#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace fg::cli {

void add_export_command(CLI::App& app, CliContext& ctx);

}  // namespace fg::cli
