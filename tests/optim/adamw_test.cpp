#include "optim/adamw.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "optim/adamw_kernel.h"

namespace fg::optim {
namespace {

// Double-precision AdamW straight from spec-ml §5.3.
struct RefAdamW {
  double lr, b1, b2, eps, wd;
  std::vector<double> p, m, v;
  int64_t t = 0;
  void step(const std::vector<double>& g, double lr_now) {
    ++t;
    for (size_t i = 0; i < p.size(); ++i) {
      p[i] *= 1.0 - lr_now * wd;
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      double mhat = m[i] / (1 - std::pow(b1, t));
      p[i] -= lr_now * mhat / (std::sqrt(v[i]) / std::sqrt(1 - std::pow(b2, t)) + eps);
    }
  }
};

std::vector<float> pattern(int64_t n, double scale, double phase) {
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(scale * std::sin(0.37 * i + phase));
  return out;
}

void run_against_reference(int64_t n, double wd) {
  Tensor w = Tensor::from_vector(pattern(n, 1.0, 0.3), {n});
  w.set_requires_grad(true);
  AdamW opt({{"w", w}}, {.lr = 0.05, .beta1 = 0.9, .beta2 = 0.99, .eps = 1e-6, .weight_decay = wd});
  RefAdamW ref{0.05, 0.9, 0.99, 1e-6, wd, {}, std::vector<double>(n), std::vector<double>(n)};
  for (float x : w.to_vector()) ref.p.push_back(x);
  for (int s = 0; s < 5; ++s) {
    std::vector<float> g = pattern(n, 0.5 + s, 1.1 * s);
    w.set_grad(Tensor::from_vector(g, {n}));
    double lr = 0.05 * (s + 1) / 5.0;
    opt.set_lr(lr);
    opt.step();
    ref.step(std::vector<double>(g.begin(), g.end()), lr);
  }
  std::vector<float> got = w.to_vector();
  double max_err = 0;
  for (int64_t i = 0; i < n; ++i) max_err = std::max(max_err, std::fabs(got[i] - ref.p[i]));
  EXPECT_LT(max_err, 2e-6) << "n=" << n;
  // The update moved the weights by far more than the tolerance.
  EXPECT_GT(std::fabs(got[0] - pattern(n, 1.0, 0.3)[0]), 1e-2);
}

TEST(AdamW, MatchesDoublePrecisionReference) {
  run_against_reference(7, 0.0);
  run_against_reference(7, 0.1);
  run_against_reference(100000, 0.01);  // takes the OpenMP path
}

TEST(AdamW, KernelIsBitwiseIdenticalOnParallelVectorAndScalarPaths) {
  // The same elements updated in one OpenMP/SIMD call and in 7-element calls (scalar tails).
  const int64_t n = 300007;
  std::vector<float> p = pattern(n, 1.0, 0.1), g = pattern(n, 0.3, 0.7);
  std::vector<float> m = pattern(n, 0.01, 0.2), v(n, 1e-4f);
  std::vector<float> p2 = p, m2 = m, v2 = v;
  AdamWScalars s{0.999f, 0.9f, 0.1f, 0.95f, 0.05f, 0.3f, 1e-8f, -0.01f};
  adamw_update(p.data(), g.data(), m.data(), v.data(), n, s);
  for (int64_t i = 0; i < n; i += 7) {
    int64_t k = std::min<int64_t>(7, n - i);
    adamw_update(p2.data() + i, g.data() + i, m2.data() + i, v2.data() + i, k, s);
  }
  EXPECT_EQ(p, p2);
  EXPECT_EQ(m, m2);
  EXPECT_EQ(v, v2);
}

TEST(AdamW, FirstStepIsSignOfGradientTimesLr) {
  // Bias correction makes step 1 move each weight by lr * g / (|g| + eps') ~ lr * sign(g).
  Tensor w = Tensor::from_vector({1.0f, 1.0f, 1.0f}, {3});
  w.set_requires_grad(true);
  AdamW opt({{"w", w}}, {.lr = 0.1, .weight_decay = 0.0});
  w.set_grad(Tensor::from_vector({3.0f, -0.001f, 0.0f}, {3}));
  opt.step();
  std::vector<float> v = w.to_vector();
  EXPECT_NEAR(v[0], 0.9, 1e-6);
  EXPECT_NEAR(v[1], 1.1, 1e-4);
  EXPECT_EQ(v[2], 1.0f);
}

TEST(AdamW, WeightDecayIsDecoupledAndUsesCurrentLr) {
  // Zero gradient: only the decay acts, p <- p * (1 - lr*wd).
  Tensor w = Tensor::from_vector({2.0f}, {1});
  w.set_requires_grad(true);
  AdamW opt({{"w", w}}, {.lr = 0.5, .weight_decay = 0.2});
  w.set_grad(Tensor::from_vector({0.0f}, {1}));
  opt.step();
  EXPECT_FLOAT_EQ(w.item(), 2.0f * 0.9f);
  opt.set_lr(0.0);
  opt.step();
  EXPECT_FLOAT_EQ(w.item(), 2.0f * 0.9f);
}

TEST(AdamW, SkipsParametersWithoutGradient) {
  Tensor a = Tensor::from_vector({1.0f}, {1});
  Tensor b = Tensor::from_vector({1.0f}, {1});
  a.set_requires_grad(true);
  b.set_requires_grad(true);
  AdamW opt({{"a", a}, {"b", b}}, {.lr = 0.1});
  a.set_grad(Tensor::from_vector({1.0f}, {1}));
  opt.step();
  EXPECT_EQ(b.item(), 1.0f);  // no decay either, as torch
  EXPECT_EQ(opt.param_step(0), 1);
  EXPECT_EQ(opt.param_step(1), 0);
  OptimizerState st = opt.state();
  EXPECT_EQ(st.counters.size(), 1u);
  EXPECT_EQ(st.counters[0].first, "a.step");
}

TEST(AdamW, StateRoundTripContinuesIdentically) {
  auto make = [] {
    Tensor w = Tensor::from_vector(pattern(10, 1.0, 0.0), {2, 5});
    w.set_requires_grad(true);
    return w;
  };
  AdamWOptions o{.lr = 0.01, .weight_decay = 0.05};
  Tensor w1 = make(), w2 = make();
  AdamW opt1({{"layer.w", w1}}, o);
  for (int s = 0; s < 3; ++s) {
    w1.set_grad(Tensor::from_vector(pattern(10, 1.0, s), {2, 5}));
    opt1.step();
  }
  // A fresh optimizer on a copy of the weights, loaded with the exported state.
  w2.copy_(w1);
  AdamW opt2({{"layer.w", w2}}, o);
  opt2.load_state(opt1.state());
  for (int s = 3; s < 6; ++s) {
    w1.set_grad(Tensor::from_vector(pattern(10, 1.0, s), {2, 5}));
    w2.set_grad(Tensor::from_vector(pattern(10, 1.0, s), {2, 5}));
    opt1.step();
    opt2.step();
  }
  EXPECT_EQ(w1.to_vector(), w2.to_vector());
  EXPECT_EQ(opt2.param_step(0), 6);
}

TEST(AdamW, RejectsBadOptionsGradientsAndStates) {
  Tensor w = Tensor::from_vector({1.0f, 2.0f}, {2});
  w.set_requires_grad(true);
  EXPECT_THROW(AdamW({{"w", w}}, {.lr = -1.0}), Error);
  EXPECT_THROW(AdamW({{"w", w}}, {.beta1 = 1.0}), Error);
  EXPECT_THROW(AdamW({{"w", w}}, {.eps = -1.0}), Error);
  EXPECT_THROW(AdamW({{"w", w}, {"w", w}}, {}), Error);
  EXPECT_THROW(AdamW({{"ids", Tensor::from_vector_i64({1}, {1})}}, {}), Error);
  EXPECT_THROW(AdamW({{"u", Tensor()}}, {}), Error);
  EXPECT_THROW(AdamW({{"w", w}, {"tied", w.detach()}}, {}), Error);  // same storage twice

  AdamW opt({{"w", w}}, {});
  w.set_grad(Tensor::from_vector({1.0f, 1.0f}, {2}));
  opt.step();
  OptimizerState st = opt.state();

  OptimizerState wrong_kind = st;
  wrong_kind.kind = "SGD";
  EXPECT_THROW(opt.load_state(wrong_kind), Error);
  OptimizerState wrong_shape = st;
  wrong_shape.buffers[0].shape = {1, 2};
  EXPECT_THROW(opt.load_state(wrong_shape), Error);
  OptimizerState missing = st;
  missing.buffers.pop_back();
  EXPECT_THROW(opt.load_state(missing), Error);
  OptimizerState extra = st;
  extra.buffers.push_back({"other.exp_avg", {2}, {0, 0}});
  try {
    opt.load_state(extra);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'other.exp_avg' matches no parameter"), std::string::npos)
        << e.what();
  }
  // A failed load leaves the optimizer as it was.
  EXPECT_EQ(opt.param_step(0), 1);
}

}  // namespace
}  // namespace fg::optim
