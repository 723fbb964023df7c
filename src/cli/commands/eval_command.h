#pragma once
// `forgather eval [MODEL_DIR] --lengths 256,512,1024,2048`: perplexity of a trained model at
// chosen context lengths on an evaluation split, written to <model_dir>/eval_lengths.json (what
// `forgather compare --extrapolate` reads).
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "report/eval_lengths.h"
#include "tensor/device.h"

namespace fg::cli {

struct LengthEvalRequest {
  // "tinystories", "synthetic" or a file/glob/directory; "" follows $FORGATHER_DATASET (as the
  // dataset templates do), else TinyStories.
  std::string dataset;
  std::string split = "validation";
  int64_t max_blocks = 32;
  int64_t batch_size = 4;
  Device device = Device::cpu();  // the model is loaded on the host and moved here
};

// Evaluates the model directory at each length; progress goes to stderr.
report::EvalLengths evaluate_model_lengths(const config::Registry& registry,
                                           const std::filesystem::path& model_dir,
                                           const std::vector<int64_t>& lengths,
                                           const LengthEvalRequest& request);

// Evaluates and merges the results into `output` (default <model_dir>/eval_lengths.json, see
// eval_lengths_path), keeping other lengths of the same dataset; returns this evaluation's.
report::EvalLengths evaluate_and_record_lengths(const config::Registry& registry,
                                                const std::filesystem::path& model_dir,
                                                const std::vector<int64_t>& lengths,
                                                const LengthEvalRequest& request,
                                                const std::filesystem::path& output = {});
std::filesystem::path eval_lengths_path(const std::filesystem::path& model_dir,
                                        const std::filesystem::path& output);

void add_eval_command(CLI::App& app, CliContext& ctx);

}  // namespace fg::cli
