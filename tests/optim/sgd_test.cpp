#include "optim/sgd.h"

#include <cmath>

#include <gtest/gtest.h>

#include "core/error.h"

namespace fg::optim {
namespace {

TEST(SGD, PlainStepIsPMinusLrTimesG) {
  Tensor w = Tensor::from_vector({1.0f, -2.0f}, {2});
  w.set_requires_grad(true);
  SGD opt({{"w", w}}, {.lr = 0.5});
  w.set_grad(Tensor::from_vector({0.25f, 1.0f}, {2}));
  opt.step();
  EXPECT_EQ(w.to_vector(), (std::vector<float>{0.875f, -2.5f}));
  EXPECT_TRUE(opt.state().buffers.empty());  // no momentum, no state
}

TEST(SGD, MomentumMatchesHandComputedAndLargeTensorsAgree) {
  // buf1 = g1; buf2 = 0.9*buf1 + g2; p -= lr*buf.
  const int64_t n = 300001;  // parallel path
  Tensor w = Tensor::full({n}, 1.0f);
  w.set_requires_grad(true);
  SGD opt({{"w", w}}, {.lr = 0.1, .momentum = 0.9});
  w.set_grad(Tensor::full({n}, 1.0f));
  opt.step();
  w.set_grad(Tensor::full({n}, 2.0f));
  opt.step();
  double expected = 1.0 - 0.1 * 1.0 - 0.1 * (0.9 * 1.0 + 2.0);
  std::vector<float> v = w.to_vector();
  EXPECT_NEAR(v[0], expected, 1e-6);
  EXPECT_EQ(v[0], v[n - 1]);
  OptimizerState st = opt.state();
  ASSERT_EQ(st.buffers.size(), 1u);
  EXPECT_NEAR(st.buffers[0].values[5], 2.9f, 1e-6);

  Tensor w2 = w.clone();
  w2.set_requires_grad(true);
  SGD opt2({{"w", w2}}, {.lr = 0.1, .momentum = 0.9});
  opt2.load_state(st);
  w.set_grad(Tensor::full({n}, 0.5f));
  w2.set_grad(Tensor::full({n}, 0.5f));
  opt.step();
  opt2.step();
  EXPECT_EQ(w.to_vector(), w2.to_vector());
}

TEST(SGD, ValidatesOptions) {
  Tensor w = Tensor::from_vector({1.0f}, {1});
  EXPECT_THROW(SGD({{"w", w}}, {.lr = -0.1}), Error);
  EXPECT_THROW(SGD({{"w", w}}, {.momentum = -1}), Error);
  EXPECT_THROW(SGD({{"w", w}}, {.nesterov = true}), Error);
  EXPECT_THROW(SGD({{"w", w}}, {.momentum = 0.9, .dampening = 0.1, .nesterov = true}), Error);
  SGD ok({{"w", w}}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  EXPECT_NE(ok.repr().find("nesterov=true"), std::string::npos) << ok.repr();
  OptimizerState wrong;
  wrong.kind = "AdamW";
  EXPECT_THROW(ok.load_state(wrong), Error);
}

}  // namespace
}  // namespace fg::optim
