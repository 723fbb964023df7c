#pragma once
// The small causal transformers the train tests run: a few layers, seeded, built in microseconds.
#include <cstdint>
#include <memory>

#include "nn/causal_transformer.h"

namespace fg::train {

struct TinyModelSpec {
  int64_t hidden = 32;
  int64_t heads = 4;
  int64_t layers = 2;
  int64_t feedforward = 64;
  int64_t vocab = 50;
  int64_t max_length = 128;
  bool alibi = true;    // as CausalTransformerConfig
  bool dropout = true;  // false: every dropout probability 0 (the config's defaults otherwise)
  uint64_t seed = 11;
};

inline std::unique_ptr<nn::CausalLM> tiny_model(const TinyModelSpec& s) {
  nn::CausalTransformerConfig c;
  c.hidden_size = s.hidden;
  c.num_attention_heads = s.heads;
  c.num_hidden_layers = s.layers;
  c.dim_feedforward = s.feedforward;
  c.vocab_size = s.vocab;
  c.max_sequence_length = s.max_length;
  c.alibi = s.alibi;
  if (!s.dropout)
    c.embedding_dropout = c.layer_dropout = c.residual_dropout = c.attention_dropout =
        c.activation_dropout = 0.0f;
  Rng rng(s.seed);
  return nn::make_causal_transformer(c, rng);
}

}  // namespace fg::train
