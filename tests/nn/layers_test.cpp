#include <gtest/gtest.h>

#include <cmath>

#include "nn/attention/causal_alibi_attn.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/init.h"
#include "nn/layer_stack.h"
#include "nn/norm.h"
#include "nn/transformer_layer.h"
#include "tensor/ops.h"

namespace fg::nn {
namespace {

constexpr int64_t kD = 16;

std::unique_ptr<Module> attn() {
  return std::make_unique<CausalAlibiAttn>(CausalAlibiAttnOptions{kD, 4});
}
std::unique_ptr<Module> ffn() {
  return std::make_unique<GLUFeedforwardLayer>(
      GLUFeedforwardLayerOptions{kD, 32, ops::Activation::SiLU, 0.0f});
}
std::unique_ptr<Module> norm() {
  return std::make_unique<LayerNorm>(kD);
}

Tensor input() {
  Rng rng(3);
  std::vector<float> v(2 * 5 * kD);
  for (auto& x : v) x = static_cast<float>(rng.normal());
  return Tensor::from_vector(v, {2, 5, kD});
}

TransformerLayerOptions opts(float alpha) {
  TransformerLayerOptions o;
  o.dropout = 0.0f;
  o.alpha = alpha;
  return o;
}

TEST(DeepnetLayer, AlphaOneIsPostLNAndAlphaScalesTheSkipPath) {
  Rng rng(1);
  PostLNLayer post(ffn, attn, norm, opts(1.0f));
  simple_weight_init(post, rng);
  DeepnetLayer deep1(ffn, attn, norm, opts(1.0f)), deep2(ffn, attn, norm, opts(2.0f));
  deep1.load_state_dict(post.state_dict());
  deep2.load_state_dict(post.state_dict());
  EXPECT_EQ(deep1.state_dict().size(), post.state_dict().size());
  const Tensor x = input();
  EXPECT_EQ(deep1.forward(x).to_vector(), post.forward(x).to_vector());
  // alpha = 2 changes the result but it is still LayerNorm output (γ = 1, β = 0): zero row mean.
  auto y = deep2.forward(x).to_vector();
  EXPECT_NE(y, post.forward(x).to_vector());
  double mean = 0;
  for (int i = 0; i < kD; ++i) mean += y[static_cast<size_t>(i)];
  EXPECT_NEAR(mean / kD, 0.0, 1e-5);
  EXPECT_NE(deep2.describe().find("alpha=2"), std::string::npos);
}

TEST(DeepnetLayer, Constants) {
  EXPECT_NEAR(deepnet_alpha(6), std::pow(12.0, 0.25), 1e-6);
  EXPECT_NEAR(deepnet_beta(6), std::pow(48.0, -0.25), 1e-6);
  EXPECT_THROW(DeepnetLayer(ffn, attn, norm, opts(0.0f)), Error);
}

TEST(ExplicitLayerStack, RunsHeterogeneousLayersInOrder) {
  Rng rng(2);
  ExplicitLayerStack stack(
      {[] { return std::make_unique<PreLNLayer>(ffn, attn, norm, opts(1)); },
       [] { return std::make_unique<PostLNLayer>(ffn, attn, norm, opts(1)); }});
  simple_weight_init(stack, rng);
  EXPECT_EQ(stack.state_dict().front().first, "layers.0.feedforward.up_proj.weight");
  PreLNLayer a(ffn, attn, norm, opts(1));
  PostLNLayer b(ffn, attn, norm, opts(1));
  StateDict sa, sb;
  for (auto& [n, t] : stack.state_dict()) {
    if (n.rfind("layers.0.", 0) == 0) sa.emplace_back(n.substr(9), t);
    if (n.rfind("layers.1.", 0) == 0) sb.emplace_back(n.substr(9), t);
  }
  a.load_state_dict(sa);
  b.load_state_dict(sb);
  const Tensor x = input();
  EXPECT_EQ(stack.forward(x).to_vector(), b.forward(a.forward(x)).to_vector());
  EXPECT_THROW(ExplicitLayerStack({ModuleFactory()}), Error);
}

}  // namespace
}  // namespace fg::nn
