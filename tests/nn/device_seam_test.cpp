// A whole training step on the sealed test backend (a device whose memory the host cannot
// read): the same result as on the CPU, bit for bit, with host reads only where the step asks
// for them, and optimizer state that moves between devices through the checkpoint format.
#include <gtest/gtest.h>

#include "nn/attention/single_head_attn.h"
#include "nn/causal_transformer.h"
#include "nn/init.h"
#include "optim/adamw.h"
#include "optim/clip_grad.h"
#include "optim/sgd.h"
#include "support/sealed_backend.h"

namespace fg::nn {
namespace {

CausalTransformerConfig small_model() {
  CausalTransformerConfig c;
  c.hidden_size = 32;
  c.num_attention_heads = 4;
  c.num_hidden_layers = 2;
  c.dim_feedforward = 64;
  c.vocab_size = 50;
  c.max_sequence_length = 16;
  c.embedding_dropout = c.layer_dropout = c.attention_dropout = c.activation_dropout = 0.1f;
  return c;
}

std::vector<int64_t> batch_ids() {
  std::vector<int64_t> ids(2 * 12);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>((i * 11 + 3) % 50);
  return ids;
}

struct Trained {
  std::vector<std::vector<float>> params;
  std::vector<float> losses;
  optim::OptimizerState state;
};

// Three steps of forward (dropout on) / backward / clip / AdamW on `device`; counts the sealed
// backend's host copies during the last step when one is given.
Trained train_three_steps(Device device, test_support::SealedBackend* sealed = nullptr) {
  Rng init(7);
  auto model = make_causal_transformer(small_model(), init);  // initialised on the host
  model->to(device);
  model->train();
  optim::AdamW adamw(model->named_parameters(), optim::AdamWOptions{});
  const Tensor ids = Tensor::from_vector_i64(batch_ids(), {2, 12}, device);
  Trained out;
  for (int step = 0; step < 3; ++step) {
    if (sealed && step == 2) sealed->reset_counters();
    Rng rng(100 + step);
    ForwardContext ctx;
    ctx.rng = &rng;
    Tensor loss = model->forward(ids, ids, ctx).loss;
    loss.backward();
    optim::clip_grad_norm(adamw.params(), 0.5);
    adamw.step();
    adamw.zero_grad();
    out.losses.push_back(loss.item());
  }
  if (sealed) {
    // Host reads in a step: the embedding id check, the label check, the clip norms, the loss.
    EXPECT_EQ(sealed->counters().copies_to_host, 4);
    EXPECT_EQ(sealed->counters().copies_from_host, 0);
  }
  for (const auto& [name, p] : model->named_parameters()) {
    EXPECT_EQ(p.device(), device) << name;
    out.params.push_back(p.to_vector());
  }
  out.state = adamw.state();
  return out;
}

TEST(DeviceSeam, ATrainingStepOnTheSealedDeviceMatchesTheCpuBitForBit) {
  const Trained cpu = train_three_steps(Device::cpu());
  test_support::SealedRuntime runtime;
  const Trained sealed = train_three_steps(runtime.device(), &runtime.sealed());
  EXPECT_EQ(cpu.losses, sealed.losses);
  EXPECT_LT(sealed.losses.back(), sealed.losses.front());
  ASSERT_EQ(cpu.params.size(), sealed.params.size());
  for (size_t i = 0; i < cpu.params.size(); ++i) EXPECT_EQ(cpu.params[i], sealed.params[i]) << i;
  ASSERT_EQ(cpu.state.buffers.size(), sealed.state.buffers.size());
  for (size_t i = 0; i < cpu.state.buffers.size(); ++i)
    EXPECT_EQ(cpu.state.buffers[i].values, sealed.state.buffers[i].values)
        << cpu.state.buffers[i].name;
  EXPECT_EQ(cpu.state.counters, sealed.state.counters);
}

TEST(DeviceSeam, OptimizerStateMovesBetweenDevices) {
  test_support::SealedRuntime runtime;
  Tensor on_cpu = Tensor::from_vector({1, -2, 3}, {3});
  Tensor on_dev = Tensor::from_vector({1, -2, 3}, {3}, runtime.device());
  optim::SGDOptions o;
  o.lr = 0.1;
  o.momentum = 0.9;
  o.weight_decay = 0.01;
  optim::SGD cpu_sgd({{"w", on_cpu}}, o), dev_sgd({{"w", on_dev}}, o);
  for (Tensor* t : {&on_cpu, &on_dev})
    t->set_grad(Tensor::from_vector({0.5, 0.5, -1}, {3}, t->device()));
  cpu_sgd.step();
  dev_sgd.step();
  EXPECT_EQ(on_cpu.to_vector(), on_dev.to_vector());
  // Device state out to host buffers, and into an optimizer on the other device.
  optim::SGD restored({{"w", on_cpu}}, o);
  restored.load_state(dev_sgd.state());
  EXPECT_EQ(restored.state().buffers.at(0).values, cpu_sgd.state().buffers.at(0).values);
  dev_sgd.load_state(cpu_sgd.state());
  EXPECT_EQ(dev_sgd.state().buffers.at(0).values, cpu_sgd.state().buffers.at(0).values);
}

TEST(DeviceSeam, AFixedAlibiSlopeFollowsTheInputToTheDevice) {
  test_support::SealedRuntime runtime;  // first: it must outlive the module's device memory
  Rng rng(3);
  SingleHeadAlibiAttn attn(SingleHeadAlibiAttnOptions{8});
  simple_weight_init(attn, rng);
  std::vector<float> xs(2 * 5 * 8);
  for (float& v : xs) v = static_cast<float>(rng.normal());
  const std::vector<float> on_cpu = attn(Tensor::from_vector(xs, {2, 5, 8})).to_vector();
  attn.to(runtime.device());
  EXPECT_EQ(attn(Tensor::from_vector(xs, {2, 5, 8}, runtime.device())).to_vector(), on_cpu);
}

TEST(DeviceSeam, AGradientOnAnotherDeviceIsRejected) {
  test_support::SealedRuntime runtime;
  Tensor w = Tensor::from_vector({1, 2}, {2}, runtime.device());
  w.set_grad(Tensor::from_vector({1, 1}, {2}));
  optim::AdamW adamw({{"w", w}}, optim::AdamWOptions{});
  try {
    adamw.step();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gradient of 'w' must be an F32 tensor on cuda:0"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::nn
