#pragma once
// Autoregressive text generation from a CausalLM, with or without the KV cache (spec-ml §6).
// With the cache the prompt is run once and each new token costs one position; attention uses
// absolute positions (query_offset), so ALiBi stays exact at any length.
#include <cstdint>
#include <functional>
#include <vector>

#include "nn/causal_lm.h"
#include "train/sampling.h"

namespace fg::train {

struct GenerationRequest {
  std::vector<std::vector<int64_t>> prompts;  // token ids, BOS included
  SamplingOptions sampling;
  bool use_cache = true;
  int64_t eos_id = -1;  // stop a row once it produces this id (-1: never)
};

struct GenerationResult {
  std::vector<std::vector<int64_t>> new_tokens;  // per prompt, in request order
  int64_t total_new_tokens = 0;
  double seconds = 0;
};

// Called for each token as soon as it is chosen: (prompt index, token id).
using TokenCallback = std::function<void(int64_t, int64_t)>;

// Prompts of equal length decode together as one batch; the others in their own batches, since
// the attention kernels take no padding mask. The model is put in eval mode and restored after.
GenerationResult generate(nn::CausalLM& model, const GenerationRequest& request,
                          const TokenCallback& on_token = nullptr);

}  // namespace fg::train
