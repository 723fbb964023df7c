// hf_model_spec: the config.json fields read from a model's module tree, and the refusal of
// components the generated modeling_forgather.py does not implement.
#include "interop/hf_model_spec.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/rng.h"
#include "nn/attention/single_head_attn.h"
#include "nn/causal_transformer.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/input_encoder.h"
#include "nn/layer_stack.h"
#include "nn/linear.h"
#include "nn/norm.h"
#include "nn/transformer_layer.h"

namespace fg::interop {
namespace {

nn::CausalTransformerConfig tiny(bool alibi, bool pre_ln) {
  nn::CausalTransformerConfig c;
  c.hidden_size = 16;
  c.num_attention_heads = 2;
  c.num_hidden_layers = 2;
  c.dim_feedforward = 32;
  c.vocab_size = 50;
  c.max_sequence_length = 64;
  c.alibi = alibi;
  c.glu = alibi;
  c.pre_ln = pre_ln;
  return c;
}

TEST(HfModelSpec, ReadsTheExampleModel) {
  Rng rng(1);
  auto model = nn::make_causal_transformer(tiny(true, false), rng);
  const auto spec = hf_model_spec(*model);
  EXPECT_EQ(spec["attention_type"], "alibi");
  EXPECT_EQ(spec["feedforward_type"], "glu");
  EXPECT_EQ(spec["hidden_act"], "silu");
  EXPECT_EQ(spec["layer_type"], "post_ln");
  EXPECT_EQ(spec["positional_encoding"], "null");
  EXPECT_EQ(spec["norm"]["type"], "layer_norm");
  EXPECT_TRUE(spec["final_norm"].is_null());
  EXPECT_EQ(spec["vocab_size"], 50);
  EXPECT_EQ(spec["hidden_size"], 16);
  EXPECT_EQ(spec["num_hidden_layers"], 2);
  EXPECT_EQ(spec["intermediate_size"], 32);
  EXPECT_FLOAT_EQ(spec["embedding_scale"].get<float>(), 4.0f);
}

TEST(HfModelSpec, ReadsTheAbsPEPreLNVariant) {
  Rng rng(1);
  auto model = nn::make_causal_transformer(tiny(false, true), rng);
  const auto spec = hf_model_spec(*model);
  EXPECT_EQ(spec["attention_type"], "multihead");
  EXPECT_EQ(spec["feedforward_type"], "mlp");
  EXPECT_EQ(spec["hidden_act"], "relu");
  EXPECT_EQ(spec["layer_type"], "pre_ln");
  EXPECT_EQ(spec["positional_encoding"], "sinusoidal");
  EXPECT_EQ(spec["max_position_embeddings"], 64);
  EXPECT_EQ(spec["final_norm"]["type"], "layer_norm");
}

TEST(HfModelSpec, RefusesAnUnsupportedComponentByPathAndType) {
  const int64_t d = 16;
  auto encoder = std::make_unique<nn::InputEncoder>(nn::InputEncoderOptions{d, 50});
  nn::LayerFactory layer = [d](int64_t) {
    return std::make_unique<nn::PostLNLayer>(
        [d] {
          return std::make_unique<nn::GLUFeedforwardLayer>(nn::GLUFeedforwardLayerOptions{d, 32});
        },
        [d] { return std::make_unique<nn::SingleHeadAttn>(nn::SingleHeadAttnOptions{d}); },
        [d] { return std::make_unique<nn::LayerNorm>(d); });
  };
  auto stack = std::make_unique<nn::LayerStack>(layer, nn::LayerStackOptions{1});
  nn::CausalLM model(std::move(encoder), std::make_unique<nn::Linear>(d, 50), std::move(stack));
  try {
    hf_model_spec(model);
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("layer_stack.layers.0.attention"), std::string::npos) << what;
    EXPECT_NE(what.find("SingleHeadAttn"), std::string::npos) << what;
    EXPECT_NE(what.find("CausalAlibiAttn"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace fg::interop
