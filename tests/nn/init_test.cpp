#include "nn/init.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

#include "nn/causal_transformer.h"
#include "nn/embedding.h"
#include "nn/linear.h"

namespace fg::nn {
namespace {

struct Stats {
  double mean = 0, stddev = 0, max_abs = 0;
};
Stats stats(const Tensor& t) {
  auto v = t.to_vector();
  Stats s;
  for (float x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  for (float x : v) {
    s.stddev += (x - s.mean) * (x - s.mean);
    s.max_abs = std::max(s.max_abs, static_cast<double>(std::fabs(x)));
  }
  s.stddev = std::sqrt(s.stddev / static_cast<double>(v.size()));
  return s;
}

TEST(SimpleWeightInit, MatchesTheSpecDistributions) {
  Rng rng(11);
  CausalTransformerConfig c;
  c.num_hidden_layers = 1;
  auto m = make_causal_transformer(c, rng);
  auto sd = m->state_dict();
  auto get = [&](const std::string& n) {
    for (auto& [k, t] : sd)
      if (k == n) return t;
    throw Error("missing " + n);
  };
  const double r = 1.0 / std::sqrt(288.0);
  Stats q = stats(get("layer_stack.layers.0.attention.query_linear.weight"));
  EXPECT_LE(q.max_abs, r);
  EXPECT_NEAR(q.stddev, r / std::sqrt(3.0), 0.02 * r);
  Stats down = stats(get("layer_stack.layers.0.feedforward.down_proj.weight"));
  EXPECT_LE(down.max_abs, 1.0 / std::sqrt(1152.0));
  Stats emb = stats(get("input_encoder.embedding.weight"));
  EXPECT_NEAR(emb.mean, 0.0, 0.01 * r);
  EXPECT_NEAR(emb.stddev, r, 0.02 * r);
  EXPECT_EQ(stats(get("output_decoder.bias")).max_abs, 0.0);
  Stats norm = stats(get("layer_stack.layers.0.norm1.weight"));
  EXPECT_EQ(norm.mean, 1.0);
  EXPECT_NEAR(get("layer_stack.layers.0.attention.alibi_slopes").to_vector()[5], 0.0078125, 1e-7);
}

TEST(SimpleWeightInit, IsReproducibleFromTheSeed) {
  Linear a(8, 8), b(8, 8);
  Rng r1(3), r2(3);
  simple_weight_init(a, r1);
  simple_weight_init(b, r2);
  EXPECT_EQ(a.weight().to_vector(), b.weight().to_vector());
}

TEST(InitEmbeddings, ZeroesThePaddingRow) {
  Embedding e(EmbeddingOptions{5, 4, 2});
  Rng rng(1);
  simple_weight_init(e, rng);
  auto w = e.weight().to_vector();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(w[2 * 4 + i], 0.0f);
  EXPECT_NE(w[0], 0.0f);
}

TEST(InitWeightsByRegex, FirstMatchWinsAndUnknownKeysFail) {
  Linear l(4, 4);
  Rng rng(2);
  std::map<std::string, ParamInit> fns = {
      {"zeros", [](Tensor& t, Rng&) { init_constant_(t, 0.0f); }},
      {"sevens", [](Tensor& t, Rng&) { init_constant_(t, 7.0f); }}};
  init_weights_by_regex(l, rng, {{"bias", "sevens"}, {"weight|bias", "zeros"}}, fns);
  EXPECT_EQ(l.bias().to_vector()[0], 7.0f);
  EXPECT_EQ(l.weight().to_vector()[0], 0.0f);
  EXPECT_THROW(init_weights_by_regex(l, rng, {{"bias", "zeroes"}}, fns), Error);
}

TEST(LlamaInit, StdHelpersAndTruncation) {
  EXPECT_NEAR(llama_std(6), 0.02 / std::sqrt(12.0), 1e-9);
  EXPECT_NEAR(llama_std_depth(0), 0.02 / std::sqrt(2.0), 1e-9);
  Tensor w = Tensor::zeros({64, 64});
  Rng rng(4);
  init_output_layer(w, rng, 64);
  EXPECT_LE(stats(w).max_abs, 3.0 / 8.0 + 1e-6);
  hf_llama_weight_init(*std::make_unique<Linear>(4, 4), rng);
}

}  // namespace
}  // namespace fg::nn
