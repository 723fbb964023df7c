// The model bits built from small YAML configs: names, shapes, counts and errors.
#include <gtest/gtest.h>

#include "builders/module_handle.h"
#include "builders_test_util.h"
#include "nn/causal_lm.h"
#include "nn/causal_transformer.h"
#include "tensor/tensor.h"

namespace fg::builders {
namespace {

using testing::build;
using testing::error_of;

nn::Module& module_of(const config::Object& o) {
  return o.as<ModuleHandle>("a module")->module();
}

TEST(NnBuilders, LinearFromPositionalArgs) {
  auto o = build("lin: !singleton:torch.nn:Linear [ 4, 3 ]\n", "lin");
  nn::Module& m = module_of(o);
  EXPECT_EQ(m.type_name(), "Linear");
  auto p = m.named_parameters();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].first, "weight");
  EXPECT_EQ(p[0].second.shape(), (Shape{3, 4}));
  auto nobias = build(
      "lin: !singleton:torch.nn:Linear { in_features: 4, out_features: 3, "
      "bias: false }\n",
      "lin");
  EXPECT_EQ(module_of(nobias).named_parameters().size(), 1u);
}

TEST(NnBuilders, GluWithActivationFactoryAndAlibi) {
  auto ff = build(
      "ff: !singleton:.glu_feedforward:GLUFeedforwardLayer\n"
      "  d_model: 8\n  d_feedforward: 16\n  activation_factory: !lambda:torch.nn:GELU []\n",
      "ff");
  EXPECT_NE(module_of(ff).extra_repr().find("gelu"), std::string::npos)
      << module_of(ff).extra_repr();
  auto attn = build(
      "a: !singleton:.causal_alibi_attn:CausalAlibiAttn { d_model: 8, num_heads: 2, "
      "trainable_alibi: true }\n",
      "a");
  EXPECT_EQ(module_of(attn).named_parameters()[0].first, "alibi_slopes");
  EXPECT_EQ(module_of(attn).num_parameters(true), module_of(attn).num_parameters());
}

// The same model as nn::make_causal_transformer, assembled from bits in YAML.
const char* kTinyModel = R"(
loss_fn: &loss_fn !singleton:.causal_loss:CausalLoss []
norm: &norm !lambda:torch.nn:LayerNorm [ !var hidden_size ]
ff: &ff !lambda:.glu_feedforward:GLUFeedforwardLayer
    d_model: !var hidden_size
    d_feedforward: !var dim_feedforward
    activation_factory: !lambda:torch.nn:SiLU []
    dropout: 0.0
attn: &attn !lambda:.causal_alibi_attn:CausalAlibiAttn
    d_model: !var hidden_size
    num_heads: 2
    trainable_alibi: true
layer: &layer !lambda:.post_ln_layer:PostLNLayer
    feedforward_factory: *ff
    attention_factory: *attn
    norm_factory: *norm
    dropout: 0.0
model_factory: &model_factory !singleton:.causal_lm:CasualLM@model_factory
    loss_fn: *loss_fn
    input_encoder: !singleton:.input_encoder:InputEncoder
        d_model: !var hidden_size
        vocab_size: !var vocab_size
        dropout: 0.0
        positional_encoder: !singleton:.null_pe:NullPE []
    output_decoder: !singleton:torch.nn:Linear [ !var hidden_size, !var vocab_size ]
    layer_stack: !singleton:.layer_stack:LayerStack
        layer_factory: *layer
        num_hidden_layers: 2
    init_weights: !lambda:.init_weights:simple_weight_init []
model_config: &model_config !dict
    hidden_size: 16
    dim_feedforward: 32
    vocab_size: 50
model: !partial:forgather.ml.construct:construct_model
    factory: *model_factory
    config: *model_config
)";

TEST(NnBuilders, ModelFromBitsMatchesTheOneCallBuilder) {
  auto factory = build(kTinyModel, "model");
  ASSERT_EQ(factory.type(), config::Object::Type::kCallable);
  config::CallArgs none;
  auto model = factory.call(none);
  nn::Module& m = module_of(model);
  EXPECT_EQ(m.type_name(), "CausalLM");
  nn::CausalTransformerConfig c;
  c.hidden_size = 16;
  c.num_attention_heads = 2;
  c.num_hidden_layers = 2;
  c.dim_feedforward = 32;
  c.vocab_size = 50;
  Rng rng(1);
  auto ref = nn::make_causal_transformer(c, rng);
  EXPECT_EQ(m.num_parameters(), ref->num_parameters());
  auto a = m.named_parameters(), b = ref->named_parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_EQ(a[i].second.shape(), b[i].second.shape()) << a[i].first;
  }
  // Two calls build two models; the describe() tree counts parameters.
  auto second = factory.call(none);
  EXPECT_NE(&module_of(second), &m);
  EXPECT_NE(model.describable()->describe().find("Total parameters"), std::string::npos);
}

TEST(NnBuilders, SharedSingletonModuleIsAnError) {
  const std::string text = R"(
pe: &pe !singleton:.null_pe:NullPE []
a: &a !singleton:.input_encoder:InputEncoder { d_model: 8, vocab_size: 10, positional_encoder: *pe }
b: &b !singleton:.input_encoder:InputEncoder { d_model: 8, vocab_size: 10, positional_encoder: *pe }
both: !singleton:named_list [ *a, *b ]
)";
  const std::string msg = error_of([&] { build(text, "both"); });
  EXPECT_NE(msg.find("already owned"), std::string::npos) << msg;
  EXPECT_NE(msg.find("test.yaml:2"), std::string::npos) << msg;
}

TEST(NnBuilders, ErrorsNameFileLineAndKey) {
  std::string msg =
      error_of([] { build("x:\n  lin: !singleton:torch.nn:Linaer [ 4, 3 ]\n", "x"); });
  EXPECT_NE(msg.find("torch.nn:Linear"), std::string::npos) << msg;  // near match
  EXPECT_NE(msg.find("x.lin"), std::string::npos) << msg;            // key path
  EXPECT_NE(msg.find("test.yaml:2"), std::string::npos) << msg;
  msg = error_of([] {
    build("x:\n  lin: !singleton:torch.nn:Linear { in_features: four, out_features: 3 }\n", "x");
  });
  EXPECT_NE(msg.find("test.yaml:2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("in_features"), std::string::npos) << msg;
  EXPECT_NE(msg.find("four"), std::string::npos) << msg;
  msg = error_of([] {
    build("x:\n  lin: !singleton:torch.nn:Linear { in_features: 4, out_features: 3, bais: 1 }\n",
          "x");
  });
  EXPECT_NE(msg.find("bais"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bias"), std::string::npos) << msg;  // did you mean
  msg = error_of([] {
    build(
        "x: !singleton:.causal_multihead_attn:CausalMultiheadAttn { d_model: 10, num_heads: 3 }\n",
        "x");
  });
  EXPECT_NE(msg.find("test.yaml:1"), std::string::npos) << msg;  // the component's own check
  EXPECT_NE(msg.find("CausalMultiheadAttn"), std::string::npos) << msg;
}

}  // namespace
}  // namespace fg::builders
