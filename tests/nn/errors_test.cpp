// Wrong inputs give fg::ShapeError/fg::Error whose message starts with the component's name.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "nn/attention/causal_alibi_attn.h"
#include "nn/causal_loss.h"
#include "nn/causal_transformer.h"
#include "nn/linear.h"
#include "nn/positional/sinusoidal_pe.h"

namespace fg::nn {
namespace {

void expect_error(const std::function<void()>& f, const std::string& prefix) {
  try {
    f();
    ADD_FAILURE() << "no exception, expected " << prefix;
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  }
}

TEST(Errors, ComponentsNameThemselves) {
  Linear lin(4, 3);
  expect_error([&] { lin.forward(Tensor::zeros({2, 5})); }, "[Linear] expected input [..., 4]");
  CausalAlibiAttn attn(CausalAlibiAttnOptions{8, 2});
  expect_error([&] { attn.forward(Tensor::zeros({2, 8})); }, "[CausalAlibiAttn]");
  SinusoidalPE pe(SinusoidalPEOptions{8, 4});
  expect_error(
      [&] {
        pe.forward(Tensor::zeros({1, 5, 8}));
      },
      "[SinusoidalPE] positions 0..4 exceed max_sequence_length 4");
  CausalLoss loss;
  expect_error([&] { loss(Tensor::zeros({2, 3, 5}), Tensor::zeros({2, 3})); }, "[CausalLoss]");
  Rng rng(0);
  CausalTransformerConfig c;
  c.hidden_size = 8;
  c.num_attention_heads = 2;
  c.num_hidden_layers = 1;
  c.dim_feedforward = 8;
  c.vocab_size = 10;
  auto model = make_causal_transformer(c, rng);
  expect_error([&] { model->forward(Tensor::zeros({2, 3})); }, "[CausalLM] expected I64");
  c.num_attention_heads = 3;
  expect_error([&] { make_causal_transformer(c, rng); }, "[CausalTransformer]");
  expect_error(
      [&] {
        model->forward(Tensor::from_vector_i64({1, 2}, {1, 2}), {});
      },
      "[Dropout] dropout 0.1 in training mode needs an Rng");
}

}  // namespace
}  // namespace fg::nn
