#pragma once
// `forgather generate [MODEL_DIR] --prompt TEXT ...` (also `forgather inf`): text from a trained
// model directory (or, with -t, the config's output_dir), with the KV cache, sampling options and
// streaming output.
#include "cli/cli_context.h"

namespace fg::cli {

void add_generate_command(CLI::App& app, CliContext& ctx);

// The model directory a command should use: MODEL_DIR when given, else the selected config's
// meta.output_dir. Throws fg::Error saying how to name one.
std::string resolve_model_dir(const CLI::App& sub, const CliContext& ctx, const std::string& given);

}  // namespace fg::cli
