#include "nn/causal_transformer.h"

#include "core/check.h"
#include "nn/attention/causal_alibi_attn.h"
#include "nn/attention/causal_multihead_attn.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/init.h"
#include "nn/input_encoder.h"
#include "nn/layer_stack.h"
#include "nn/linear.h"
#include "nn/norm.h"
#include "nn/positional/null_pe.h"
#include "nn/positional/sinusoidal_pe.h"
#include "nn/size_check.h"
#include "nn/transformer_layer.h"

namespace fg::nn {

void CausalTransformerConfig::validate() const {
  FG_CHECK(hidden_size > 0 && num_attention_heads > 0 && hidden_size % num_attention_heads == 0,
           "[CausalTransformer] hidden_size ({}) must be a positive multiple of "
           "num_attention_heads ({})",
           hidden_size, num_attention_heads);
  FG_CHECK(num_hidden_layers >= 0 && dim_feedforward > 0 && vocab_size > 0,
           "[CausalTransformer] num_hidden_layers, dim_feedforward and vocab_size must be "
           "positive, got {}, {}, {}",
           num_hidden_layers, dim_feedforward, vocab_size);
  check_parameter_size("CausalTransformer", "embedding", vocab_size, hidden_size);
  check_parameter_size("CausalTransformer", "feedforward weight", dim_feedforward, hidden_size);
  check_parameter_size("CausalTransformer", "positional table", max_sequence_length, hidden_size);
}

std::unique_ptr<CausalLM> make_causal_transformer(const CausalTransformerConfig& c, Rng& rng) {
  c.validate();
  const int64_t d = c.hidden_size;
  PositionalEncoderFactory pe = [&c, d]() -> std::unique_ptr<Module> {
    if (c.alibi) return std::make_unique<NullPE>();
    return std::make_unique<SinusoidalPE>(SinusoidalPEOptions{d, c.max_sequence_length});
  };
  auto encoder =
      std::make_unique<InputEncoder>(InputEncoderOptions{d, c.vocab_size, c.embedding_dropout}, pe);
  AttentionFactory attention = [&c, d]() -> std::unique_ptr<Module> {
    if (c.alibi) {
      CausalAlibiAttnOptions o{d, c.num_attention_heads};
      o.dropout = c.attention_dropout;
      o.trainable_alibi = c.trainable_alibi;
      return std::make_unique<CausalAlibiAttn>(o);
    }
    CausalMultiheadAttnOptions o{d, c.num_attention_heads};
    o.dropout = c.attention_dropout;
    return std::make_unique<CausalMultiheadAttn>(o);
  };
  FeedforwardFactory feedforward = [&c, d]() -> std::unique_ptr<Module> {
    if (c.glu)
      return std::make_unique<GLUFeedforwardLayer>(GLUFeedforwardLayerOptions{
          d, c.dim_feedforward, ops::Activation::SiLU, c.activation_dropout});
    return std::make_unique<FeedforwardLayer>(
        FeedforwardLayerOptions{d, c.dim_feedforward, ops::Activation::ReLU, c.activation_dropout});
  };
  NormFactory norm = [d]() { return std::make_unique<LayerNorm>(d); };
  TransformerLayerOptions layer_opts{c.layer_dropout, c.residual_dropout};
  LayerFactory layer = [&](int64_t) -> std::unique_ptr<Module> {
    if (c.pre_ln) return std::make_unique<PreLNLayer>(feedforward, attention, norm, layer_opts);
    return std::make_unique<PostLNLayer>(feedforward, attention, norm, layer_opts);
  };
  auto stack = std::make_unique<LayerStack>(layer, LayerStackOptions{c.num_hidden_layers},
                                            c.pre_ln ? norm : NormFactory());
  auto decoder = std::make_unique<Linear>(d, c.vocab_size, true);
  return std::make_unique<CausalLM>(std::move(encoder), std::move(decoder), std::move(stack),
                                    [&rng](Module& m) { simple_weight_init(m, rng); });
}

}  // namespace fg::nn
