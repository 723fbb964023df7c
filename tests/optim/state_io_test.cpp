#include "optim/state_io.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../formats/temp_dir.h"
#include "core/error.h"
#include "formats/safetensors_file.h"
#include "formats/safetensors_writer.h"
#include "optim/adamw.h"
#include "optim/sgd.h"

namespace fg::optim {
namespace {

TEST(OptimizerStateIo, AdamWStateSurvivesASafetensorsRoundTrip) {
  formats::testing::TempDir dir;
  Tensor w = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = Tensor::from_vector({0.5f}, {1});
  w.set_requires_grad(true);
  b.set_requires_grad(true);
  AdamW opt({{"layer.weight", w}, {"layer.bias", b}}, {.lr = 0.1});
  for (int s = 0; s < 2; ++s) {
    w.set_grad(Tensor::from_vector({1, -1, 2, -2, 3, -3}, {2, 3}));
    b.set_grad(Tensor::from_vector({0.25f}, {1}));
    opt.step();
  }
  save_optimizer_state(dir / "optimizer.safetensors", opt.state(), /*scheduler_step=*/2);

  formats::SafetensorsFile f = formats::SafetensorsFile::open(dir / "optimizer.safetensors");
  EXPECT_EQ(f.metadata().at("optimizer"), "AdamW");
  EXPECT_EQ(f.at("layer.weight.exp_avg").shape, (Shape{2, 3}));
  EXPECT_EQ(f.read_i64("layer.bias.step"), std::vector<int64_t>{2});

  LoadedOptimizerState loaded = load_optimizer_state(dir / "optimizer.safetensors");
  EXPECT_EQ(loaded.scheduler_step, 2);
  Tensor w2 = w.clone(), b2 = b.clone();
  AdamW opt2({{"layer.weight", w2}, {"layer.bias", b2}}, {.lr = 0.1});
  opt2.load_state(loaded.state);
  OptimizerState a = opt.state(), c = opt2.state();
  ASSERT_EQ(a.buffers.size(), c.buffers.size());
  for (size_t i = 0; i < a.buffers.size(); ++i) {
    EXPECT_EQ(a.buffers[i].name, c.buffers[i].name);
    EXPECT_EQ(a.buffers[i].values, c.buffers[i].values);
  }
  EXPECT_EQ(a.counters, c.counters);
}

TEST(OptimizerStateIo, SgdMomentumAndBadFiles) {
  formats::testing::TempDir dir;
  Tensor w = Tensor::from_vector({1, 2}, {2});
  w.set_requires_grad(true);
  SGD opt({{"w", w}}, {.lr = 0.1, .momentum = 0.9});
  w.set_grad(Tensor::from_vector({1, 1}, {2}));
  opt.step();
  save_optimizer_state(dir / "sgd.safetensors", opt.state());
  LoadedOptimizerState loaded = load_optimizer_state(dir / "sgd.safetensors");
  EXPECT_FALSE(loaded.scheduler_step.has_value());
  EXPECT_EQ(loaded.state.kind, "SGD");
  ASSERT_EQ(loaded.state.buffers.size(), 1u);
  EXPECT_EQ(loaded.state.buffers[0].name, "w.momentum_buffer");
  EXPECT_EQ(loaded.state.buffers[0].values, (std::vector<float>{1, 1}));

  formats::SafetensorsWriter plain;  // a model file, not an optimizer state
  std::vector<float> v = {1};
  plain.add_f32("x", {1}, v);
  plain.write(dir / "model.safetensors");
  EXPECT_THROW(load_optimizer_state(dir / "model.safetensors"), IoError);
  EXPECT_THROW(load_optimizer_state(dir / "missing.safetensors"), IoError);
}

// Optimizer state read from a checkpoint must be finite: NaN moments would silently poison every
// later update after a resume.
struct PoisonedSlot {
  std::string name;
  std::string slot;  // "exp_avg" or "exp_avg_sq"
  size_t element;
  float value;
  std::string shown;
};

void PrintTo(const PoisonedSlot& c, std::ostream* os) {
  *os << c.name;
}

class HostileOptimizerState : public ::testing::TestWithParam<PoisonedSlot> {};

TEST_P(HostileOptimizerState, NonFiniteBufferIsRefusedNamingTensorAndFile) {
  const PoisonedSlot& c = GetParam();
  formats::testing::TempDir dir;
  Tensor w = Tensor::from_vector({1, 2, 3, 4}, {2, 2});
  w.set_requires_grad(true);
  AdamW opt({{"layer.weight", w}}, {.lr = 0.1});
  w.set_grad(Tensor::from_vector({1, -1, 2, -2}, {2, 2}));
  opt.step();
  OptimizerState state = opt.state();
  for (NamedBuffer& b : state.buffers)
    if (b.name == "layer.weight." + c.slot) b.values.at(c.element) = c.value;
  const auto path = dir / "optimizer.safetensors";
  save_optimizer_state(path, state, 1);  // the same size as a healthy file
  std::string message;
  try {
    load_optimizer_state(path);
  } catch (const IoError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("[OptimizerState] '" + path.string() + "': tensor 'layer.weight." +
                         c.slot + "' holds a non-finite value (" + c.shown + ") at element " +
                         std::to_string(c.element)),
            std::string::npos)
      << message;
}

INSTANTIATE_TEST_SUITE_P(
    Buffers, HostileOptimizerState,
    ::testing::Values(PoisonedSlot{"NanFirstMoment", "exp_avg", 0, std::nanf(""), "nan"},
                      PoisonedSlot{"InfFirstMoment", "exp_avg", 3, HUGE_VALF, "inf"},
                      PoisonedSlot{"NanSecondMoment", "exp_avg_sq", 1, std::nanf(""), "nan"},
                      PoisonedSlot{"NegativeInfSecondMoment", "exp_avg_sq", 2, -HUGE_VALF, "-inf"}),
    [](const auto& info) { return info.param.name; });

TEST(HostileOptimizerStateCounter, NegativeStepIsRefusedNamingIt) {
  formats::testing::TempDir dir;
  Tensor w = Tensor::from_vector({1, 2}, {2});
  w.set_requires_grad(true);
  AdamW opt({{"w", w}}, {.lr = 0.1});
  w.set_grad(Tensor::from_vector({1, 1}, {2}));
  opt.step();
  OptimizerState state = opt.state();
  ASSERT_FALSE(state.counters.empty());
  state.counters[0].second = -3;
  save_optimizer_state(dir / "o.safetensors", state);
  std::string message;
  try {
    load_optimizer_state(dir / "o.safetensors");
  } catch (const IoError& e) {
    message = e.what();
  }
  EXPECT_NE(
      message.find("counter '" + state.counters[0].first + "' must not be negative, found -3"),
      std::string::npos)
      << message;
}

}  // namespace
}  // namespace fg::optim
