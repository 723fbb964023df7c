#pragma once
// Perplexity at chosen evaluation lengths (the ALiBi-vs-absolute-PE extrapolation experiment):
// the evaluation documents are joined into one token stream, cut into blocks of each length, and
// the causal-LM loss is averaged over every predicted token.
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "nn/causal_lm.h"

namespace fg::train {

struct LengthEvalOptions {
  std::vector<int64_t> lengths = {256, 512, 1024, 2048};
  int64_t batch_size = 4;
  int64_t max_blocks = 64;  // per length; bounds the run time at long lengths
  void validate() const;
};

struct LengthEvalResult {
  int64_t length = 0;
  int64_t blocks = 0;
  int64_t tokens = 0;  // predicted tokens
  double loss = 0;
  double perplexity = 0;
};

// `stream` is the concatenated token ids of the evaluation documents. A length longer than the
// stream is reported with zero blocks. `on_progress(length, done_blocks, total_blocks)`.
std::vector<LengthEvalResult> evaluate_lengths(
    nn::CausalLM& model, const std::vector<int64_t>& stream, const LengthEvalOptions& options,
    const std::function<void(int64_t, int64_t, int64_t)>& on_progress = nullptr);

nlohmann::json to_json(const std::vector<LengthEvalResult>& results);

}  // namespace fg::train
