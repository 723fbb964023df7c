// PyTorch parity of every component: load the fixture's parameters, run forward in eval mode,
// backprop sum(y * dy), and compare y, dL/dx and every parameter gradient (tools/make_golden.py).
#include <gtest/gtest.h>

#include <functional>

#include "golden.h"
#include "nn/attention/causal_alibi_attn.h"
#include "nn/attention/causal_multihead_attn.h"
#include "nn/attention/single_head_attn.h"
#include "nn/embedding.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/input_encoder.h"
#include "nn/layer_stack.h"
#include "nn/linear.h"
#include "nn/norm.h"
#include "nn/positional/null_pe.h"
#include "nn/positional/sinusoidal_pe.h"
#include "nn/transformer_layer.h"
#include "tensor/ops.h"

namespace fg::nn {
namespace {

using testing::kTolerance;
using testing::relative_error;

constexpr int64_t kD = 24, kH = 4, kF = 48, kV = 50;

std::unique_ptr<Module> alibi(CausalAlibiAttnOptions o) {
  o.d_model = kD;
  o.num_heads = kH;
  return std::make_unique<CausalAlibiAttn>(o);
}
CausalAlibiAttnOptions trainable() {
  CausalAlibiAttnOptions o;
  o.trainable_alibi = true;
  return o;
}
std::unique_ptr<Module> glu() {
  return std::make_unique<GLUFeedforwardLayer>(
      GLUFeedforwardLayerOptions{kD, kF, ops::Activation::SiLU, 0.0f});
}
std::unique_ptr<Module> ln() {
  return std::make_unique<LayerNorm>(kD);
}

using Builder = std::function<std::unique_ptr<Module>()>;

const std::map<std::string, Builder>& builders() {
  static const std::map<std::string, Builder> table = {
      {"linear", [] { return std::make_unique<Linear>(kD, 24); }},
      {"linear_nobias", [] { return std::make_unique<Linear>(kD, 24, false); }},
      {"embedding",
       [] {
         return std::make_unique<Embedding>(EmbeddingOptions{kV, kD});
       }},
      {"layer_norm", [] { return ln(); }},
      {"rms_norm", [] { return std::make_unique<RMSNorm>(kD); }},
      {"sinusoidal_pe",
       [] {
         return std::make_unique<SinusoidalPE>(SinusoidalPEOptions{kD, 16});
       }},
      {"input_encoder_null",
       [] {
         return std::make_unique<InputEncoder>(InputEncoderOptions{kD, kV, 0.0f},
                                               [] { return std::make_unique<NullPE>(); });
       }},
      {"input_encoder_sin",
       [] {
         return std::make_unique<InputEncoder>(InputEncoderOptions{kD, kV, 0.0f}, [] {
           return std::make_unique<SinusoidalPE>(SinusoidalPEOptions{kD, 16});
         });
       }},
      {"input_encoder_scale",
       [] {
         return std::make_unique<InputEncoder>(InputEncoderOptions{kD, kV, 0.0f, 2.5f, false});
       }},
      {"alibi_attn", [] { return alibi({}); }},
      {"alibi_attn_trainable", [] { return alibi(trainable()); }},
      {"alibi_attn_alt",
       [] {
         auto o = trainable();
         o.alt_alibi_init = true;
         return alibi(o);
       }},
      {"alibi_attn_nobias",
       [] {
         CausalAlibiAttnOptions o;
         o.bias = false;
         return alibi(o);
       }},
      {"alibi_attn_gqa",
       [] {
         auto o = trainable();
         o.num_kv_heads = 2;
         return alibi(o);
       }},
      {"mha_attn",
       [] {
         return std::make_unique<CausalMultiheadAttn>(CausalMultiheadAttnOptions{kD, kH});
       }},
      {"mha_attn_nobias",
       [] {
         CausalMultiheadAttnOptions o{kD, kH};
         o.bias = false;
         return std::make_unique<CausalMultiheadAttn>(o);
       }},
      {"single_head_attn",
       [] { return std::make_unique<SingleHeadAttn>(SingleHeadAttnOptions{kD}); }},
      {"single_head_alibi_attn",
       [] { return std::make_unique<SingleHeadAlibiAttn>(SingleHeadAlibiAttnOptions{kD}); }},
      {"single_head_alibi_attn_trainable",
       [] {
         SingleHeadAlibiAttnOptions o{kD};
         o.slope_init = 0.3f;
         o.trainable_alibi = true;
         return std::make_unique<SingleHeadAlibiAttn>(o);
       }},
      {"feedforward",
       [] {
         return std::make_unique<FeedforwardLayer>(FeedforwardLayerOptions{kD, kF});
       }},
      {"feedforward_gelu_nobias",
       [] {
         FeedforwardLayerOptions o{kD, kF, ops::Activation::GELU};
         o.bias = false;
         return std::make_unique<FeedforwardLayer>(o);
       }},
      {"glu_feedforward", [] { return glu(); }},
      {"post_ln_layer",
       [] {
         return std::make_unique<PostLNLayer>(
             glu, [] { return alibi(trainable()); }, ln, TransformerLayerOptions{0.0f});
       }},
      {"pre_ln_layer",
       [] {
         return std::make_unique<PreLNLayer>(
             glu, [] { return alibi(trainable()); }, ln, TransformerLayerOptions{0.0f});
       }},
      {"layer_stack_post_norm",
       [] {
         LayerFactory layer = [](int64_t) -> std::unique_ptr<Module> {
           return std::make_unique<PreLNLayer>(
               glu,
               [] {
                 return std::make_unique<CausalMultiheadAttn>(CausalMultiheadAttnOptions{kD, kH});
               },
               ln, TransformerLayerOptions{0.0f});
         };
         return std::make_unique<LayerStack>(layer, LayerStackOptions{2}, ln);
       }},
  };
  return table;
}

class ComponentGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ComponentGolden, MatchesPyTorch) {
  const std::string name = GetParam();
  std::printf("[%s]\n", name.c_str());
  testing::Fixture f = testing::load_fixture(name);
  auto module = builders().at(name)();
  module->eval();
  // Frozen parameters (e.g. non-trainable ALiBi slopes) come from our own init; check they agree.
  StateDict params = f.with_prefix("param.");
  for (const auto& [n, t] : module->named_parameters())
    if (!t.requires_grad()) {
      EXPECT_LE(relative_error(t, f.at("param." + n), "init " + n), 1e-6);
    }
  StateDict state = params;
  for (auto& nt : f.with_prefix("buffer.")) state.push_back(nt);
  module->load_state_dict(state);

  const bool ids_input = f.has("in.ids");
  Tensor x = ids_input ? f.at("in.ids") : f.at("in.x").clone();
  if (!ids_input) x.set_requires_grad(true);
  Tensor y = module->forward(x);
  EXPECT_LE(relative_error(y, f.at("out.y"), "out.y"), kTolerance);
  ops::sum(ops::mul(y, f.at("in.dy"))).backward();
  if (!ids_input) {
    EXPECT_LE(relative_error(x.grad(), f.at("grad.in.x"), "grad.in.x"), kTolerance);
  }
  const double floor = testing::scale_floor(f, "grad.");
  int64_t checked = 0;
  for (const auto& [n, p] : module->named_parameters()) {
    if (!p.requires_grad()) {
      EXPECT_FALSE(f.has("grad." + n)) << n << " is trainable in PyTorch";
      continue;
    }
    const Tensor& ref = f.at("grad." + n);
    Tensor g = p.grad().defined() ? p.grad() : Tensor::zeros(p.shape());  // unused bias
    EXPECT_LE(relative_error(g, ref, "grad." + n, floor), kTolerance) << n;
    ++checked;
  }
  const int64_t fixture_grads =
      static_cast<int64_t>(f.with_prefix("grad.").size()) - (f.has("grad.in.x") ? 1 : 0);
  EXPECT_EQ(checked, fixture_grads) << "every fixture gradient has a trainable parameter";
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [n, _] : builders()) out.push_back(n);
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllComponents, ComponentGolden, ::testing::ValuesIn(names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fg::nn
