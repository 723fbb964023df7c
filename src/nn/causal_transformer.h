#pragma once
// The example model family of spec-ml §0.3 built in one call: InputEncoder(√D) + LayerStack of
// PostLN/PreLN layers (ALiBi or multi-head attention, GLU or ReLU feed-forward, LayerNorm) +
// Linear output decoder with bias, initialised by simple_weight_init. Used by the benchmark,
// tests and the builders' defaults; the config system can assemble the same graph from parts.
#include <memory>

#include "core/rng.h"
#include "nn/causal_lm.h"

namespace fg::nn {

struct CausalTransformerConfig {
  int64_t hidden_size = 288;
  int64_t num_attention_heads = 6;
  int64_t num_hidden_layers = 6;
  int64_t dim_feedforward = 1152;
  int64_t vocab_size = 2000;
  int64_t max_sequence_length = 2048;  // SinusoidalPE table length
  float embedding_dropout = 0.1f;
  float layer_dropout = 0.1f;
  float residual_dropout = 0.0f;
  float attention_dropout = 0.1f;
  float activation_dropout = 0.1f;
  bool alibi = true;  // CausalAlibiAttn + NullPE; false: CausalMultiheadAttn + SinusoidalPE
  bool trainable_alibi = true;
  bool glu = true;      // GLUFeedforwardLayer(SiLU); false: FeedforwardLayer(ReLU)
  bool pre_ln = false;  // PreLNLayer (+ final LayerNorm) instead of PostLNLayer
  void validate() const;
};

std::unique_ptr<CausalLM> make_causal_transformer(const CausalTransformerConfig& config, Rng& rng);

}  // namespace fg::nn
