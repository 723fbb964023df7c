#pragma once
// `forgather generate [MODEL_DIR] --prompt TEXT ...` (also `forgather inf`): text from a trained
// model directory (or, with -t, the config's output_dir), with the KV cache, sampling options and
// streaming output.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "tensor/device.h"
#include "train/generation.h"

namespace fg::cli {

void add_generate_command(CLI::App& app, CliContext& ctx);

// The prompt used when none is given.
inline constexpr const char* kDragonPrompt =
    "once upon a time, there was a little dragon who loved to read stories";

struct TextGenerationRequest {
  std::vector<std::string> prompts;  // empty: the dragon prompt
  train::SamplingOptions sampling;
  bool use_cache = true;
  Device device = Device::cpu();  // the model is loaded on the host and moved here
};

struct GeneratedTexts {
  std::vector<std::string> prompts;
  std::vector<std::string> continuations;  // the decoded new tokens of each prompt
  train::GenerationResult result;
};

// Text from a trained model directory (shared by `generate` and the Python module). When
// `on_text` is set it receives each row's newly decoded text as the row grows.
GeneratedTexts generate_texts(
    const config::Registry& registry, const std::filesystem::path& model_dir,
    const TextGenerationRequest& request,
    const std::function<void(int64_t row, const std::string& piece)>& on_text = {});

// The model directory a command should use: MODEL_DIR when given, else the selected config's
// meta.output_dir. Throws fg::Error saying how to name one.
std::string resolve_model_dir(const CLI::App& sub, const CliContext& ctx, const std::string& given);

}  // namespace fg::cli
