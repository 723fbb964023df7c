#pragma once
// Next-token selection from one row of logits, following Hugging Face's pipeline (spec-ml §6.1):
// repetition penalty -> temperature -> top-k -> top-p -> softmax -> sample (or argmax).
#include <cstdint>
#include <span>
#include <vector>

#include "core/rng.h"

namespace fg::train {

struct SamplingOptions {
  bool do_sample = true;
  float temperature = 0.7f;
  int64_t top_k = 20;  // <= 0: no top-k filter
  float top_p = 0.9f;  // >= 1: no nucleus filter
  float repetition_penalty = 1.15f;
  int64_t max_new_tokens = 200;
  uint64_t seed = 42;

  void validate() const;  // throws fg::Error on a bad value
  static SamplingOptions greedy();
};

// Applies the penalty, temperature and filters to `logits` in place (filtered entries -> -inf).
// `context` is every token id in the sequence so far (prompt + generated).
void shape_logits(std::span<float> logits, std::span<const int64_t> context,
                  const SamplingOptions& options);

// Picks the next token: argmax when !do_sample (ties -> lowest id), else a draw from the softmax.
int64_t select_token(std::span<float> logits, std::span<const int64_t> context,
                     const SamplingOptions& options, Rng& rng);

}  // namespace fg::train
