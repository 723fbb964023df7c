// Whole-model PyTorch parity (reduced example model: hidden 48, 6 heads, 2 layers, ffn 96,
// vocab 64, T 16, B 2, dropout 0): logits, loss, every named gradient, and the parameters after
// 5 AdamW steps; plus the acceptance parameter counts of the full example model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "golden.h"
#include "nn/causal_transformer.h"
#include "optim/adamw.h"
#include "support/sealed_backend.h"
#include "tensor/ops.h"

namespace fg::nn {
namespace {

using testing::kTolerance;
using testing::relative_error;

CausalTransformerConfig reduced(bool alibi) {
  CausalTransformerConfig c;
  c.hidden_size = 48;
  c.num_attention_heads = 6;
  c.num_hidden_layers = 2;
  c.dim_feedforward = 96;
  c.vocab_size = 64;
  c.max_sequence_length = 32;
  c.embedding_dropout = c.layer_dropout = c.attention_dropout = c.activation_dropout = 0.0f;
  c.alibi = alibi;
  return c;
}

// Built and loaded on the host, then moved to `device` (the golden checks run on the CPU and on
// the sealed test backend, whose memory the host cannot read).
std::unique_ptr<CausalLM> load_model(const testing::Fixture& f, bool alibi,
                                     Device device = Device::cpu()) {
  Rng rng(1);
  auto model = make_causal_transformer(reduced(alibi), rng);
  StateDict state = f.with_prefix("param.");
  for (auto& nt : f.with_prefix("buffer.")) state.push_back(nt);
  model->load_state_dict(state);
  model->to(device);
  return model;
}

void check_logits_loss_and_gradients(bool alibi, Device device) {
  testing::Fixture f = testing::load_fixture(alibi ? "model_alibi" : "model_abspe");
  auto model = load_model(f, alibi, device);
  model->train();  // dropout is 0, so train mode is deterministic (as in the fixture)
  std::printf("[%s on %s]\n", alibi ? "model_alibi" : "model_abspe", device.to_string().c_str());
  CausalLMOutput out = model->forward(f.at("in.ids").to(device), f.at("in.labels").to(device), {});
  EXPECT_EQ(out.logits.device(), device);
  EXPECT_LE(relative_error(out.logits, f.at("out.logits"), "logits"), kTolerance);
  EXPECT_LE(relative_error(out.loss, f.at("out.loss"), "loss"), kTolerance);
  out.loss.backward();
  const double floor = testing::scale_floor(f, "grad.");
  int64_t checked = 0;
  for (const auto& [n, p] : model->named_parameters()) {
    EXPECT_LE(relative_error(p.grad(), f.at("grad." + n), "grad." + n, floor), kTolerance) << n;
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int64_t>(f.with_prefix("grad.").size()));
}

void check_five_adamw_steps(bool alibi, Device device) {
  testing::Fixture f = testing::load_fixture(alibi ? "model_alibi" : "model_abspe");
  auto model = load_model(f, alibi, device);
  const Tensor ids = f.at("in.ids").to(device), labels = f.at("in.labels").to(device);
  model->train();
  optim::AdamWOptions opts;
  opts.lr = 1e-3;
  opts.weight_decay = 0.01;
  optim::AdamW adamw(model->named_parameters(), opts);
  for (int step = 0; step < 5; ++step) {
    CausalLMOutput out = model->forward(ids, labels, {});
    out.loss.backward();
    adamw.step();
    adamw.zero_grad();
  }
  std::printf("[%s after 5 AdamW steps]\n", alibi ? "model_alibi" : "model_abspe");
  const double grad_scale = testing::scale_floor(f, "grad.") * 100;
  for (const auto& [n, p] : model->named_parameters()) {
    const double err = relative_error(p, f.at("adamw5." + n), "adamw5." + n);
    double max_grad = 0;
    for (float g : f.at("grad." + n).to_vector())
      max_grad = std::max<double>(max_grad, std::fabs(g));
    if (max_grad > 1e-9 * grad_scale) {
      EXPECT_LE(err, kTolerance) << n;
      continue;
    }
    // The key bias has no gradient in exact arithmetic (softmax is shift-invariant); AdamW's
    // m/sqrt(v) turns fp32 rounding noise into steps of up to lr (PyTorch in fp32 moves it by
    // 1.3e-4 too). Bound it by what 5 steps can move: 5·lr.
    const auto a = p.to_vector(), b = f.at("adamw5." + n).to_vector();
    for (size_t i = 0; i < a.size(); ++i) EXPECT_LE(std::fabs(a[i] - b[i]), 5 * 1e-3) << n;
  }
}

class ModelGolden : public ::testing::TestWithParam<bool> {};

TEST_P(ModelGolden, LogitsLossAndGradientsMatchPyTorch) {
  check_logits_loss_and_gradients(GetParam(), Device::cpu());
}

TEST_P(ModelGolden, FiveAdamWStepsMatchPyTorch) {
  check_five_adamw_steps(GetParam(), Device::cpu());
}

TEST_P(ModelGolden, LogitsLossAndGradientsMatchPyTorchOnSealedDevice) {
  test_support::SealedRuntime runtime;
  check_logits_loss_and_gradients(GetParam(), runtime.device());
}

TEST_P(ModelGolden, FiveAdamWStepsMatchPyTorchOnSealedDevice) {
  test_support::SealedRuntime runtime;
  check_five_adamw_steps(GetParam(), runtime.device());
}

INSTANTIATE_TEST_SUITE_P(Variants, ModelGolden, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "ALiBi" : "AbsPE"; });

TEST(ExampleModel, ParameterCountsMatchTheSpec) {
  Rng rng(0);
  CausalTransformerConfig c;  // the example (spec-ml §0.3)
  auto alibi = make_causal_transformer(c, rng);
  EXPECT_EQ(alibi->num_parameters(), 9130484);
  EXPECT_EQ(alibi->num_parameters(true), 9130484);
  c.alibi = false;
  auto abspe = make_causal_transformer(c, rng);
  EXPECT_EQ(abspe->num_parameters(), 9130448);
  // The sinusoidal table is a buffer: in the state dict, not a parameter.
  EXPECT_EQ(abspe->state_dict().size(), abspe->named_parameters().size() + 1);
  EXPECT_EQ(abspe->named_buffers().at(0).first, "input_encoder.positional_encoder.weight");
}

TEST(ExampleModel, StateDictNamesFollowPyTorch) {
  Rng rng(0);
  auto model = make_causal_transformer(reduced(true), rng);
  auto names = model->named_parameters();
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(names[0].first, "input_encoder.embedding.weight");
  EXPECT_EQ(names[1].first, "output_decoder.weight");
  EXPECT_EQ(names[2].first, "output_decoder.bias");
  EXPECT_EQ(names[3].first, "layer_stack.layers.0.feedforward.up_proj.weight");
  testing::Fixture f = testing::load_fixture("model_alibi");
  std::vector<std::string> ours, theirs;
  for (auto& [n, _] : names) ours.push_back(n);
  for (auto& [n, _] : f.tensors)
    if (n.rfind("param.", 0) == 0) theirs.push_back(n.substr(6));
  std::sort(ours.begin(), ours.end());
  EXPECT_EQ(ours, theirs);
}

TEST(ExampleModel, InitialLossIsAboutLnV) {
  Rng rng(3);
  CausalTransformerConfig c;
  c.num_hidden_layers = 2;  // keep it fast; the last LayerNorm fixes the logit variance anyway
  auto model = make_causal_transformer(c, rng);
  model->eval();
  std::vector<int64_t> ids(2 * 64);
  for (auto& v : ids) v = static_cast<int64_t>(rng.below(2000));
  Tensor t = Tensor::from_vector_i64(ids, {2, 64});
  NoGradGuard no_grad;
  const float loss = model->forward(t, t, {}).loss.item();
  EXPECT_GT(loss, 7.5f);
  EXPECT_LT(loss, 8.0f);
}

}  // namespace
}  // namespace fg::nn

namespace fg::nn {
namespace {

TEST(ExampleModel, DropoutIsSeededAndTrainingReducesLoss) {
  CausalTransformerConfig c = reduced(true);
  c.embedding_dropout = c.layer_dropout = c.attention_dropout = c.activation_dropout = 0.1f;
  Rng init(5);
  auto model = make_causal_transformer(c, init);
  std::vector<int64_t> ids(2 * 16);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>((i * 7) % 64);
  Tensor batch = Tensor::from_vector_i64(ids, {2, 16});
  auto loss_with = [&](uint64_t seed) {
    Rng rng(seed);
    ForwardContext ctx;
    ctx.rng = &rng;
    NoGradGuard no_grad;
    return model->forward(batch, batch, ctx).loss.item();
  };
  EXPECT_EQ(loss_with(1), loss_with(1));
  EXPECT_NE(loss_with(1), loss_with(2));
  model->eval();
  const float eval_loss = model->forward(batch, batch, {}).loss.item();
  EXPECT_EQ(eval_loss, model->forward(batch, batch, {}).loss.item());
  model->train();
  optim::AdamW adamw(model->named_parameters(), optim::AdamWOptions{});
  Rng rng(9);
  ForwardContext ctx;
  ctx.rng = &rng;
  for (int step = 0; step < 20; ++step) {
    model->forward(batch, batch, ctx).loss.backward();
    adamw.step();
    adamw.zero_grad();
  }
  model->eval();
  EXPECT_LT(model->forward(batch, batch, {}).loss.item(), eval_loss - 0.5f);
}

}  // namespace
}  // namespace fg::nn
