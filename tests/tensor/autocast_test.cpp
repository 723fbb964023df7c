// AutocastGuard: which GEMM operands are converted to bf16, and how often; attention under it.
#include "tensor/autocast.h"
#include "support/ramp_leaf.h"

#include <gtest/gtest.h>

#include <tuple>

#include "kernels/backend.h"
#include "tensor/device.h"
#include "tensor/ops.h"

namespace fg {
namespace {

Tensor leaf(const Shape& s, float start) {
  return test_support::ramp_leaf(s, start);
}

TEST(Autocast, GemmsReadingOneInputShareItsBf16Copy) {
  Tensor x = leaf({4, 6}, 0.3f), wq = leaf({5, 6}, -0.2f), wk = leaf({5, 6}, 0.1f);
  const int64_t before = autocast_input_conversions();
  AutocastGuard mixed;
  Tensor q = ops::linear(x, wq, Tensor()), k = ops::linear(x, wk, Tensor());
  EXPECT_EQ(autocast_input_conversions() - before, 1) << "q and k read one bf16 copy of x";
  ops::sum(ops::add(q, k)).backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().dtype(), DType::F32);
  EXPECT_EQ(wq.grad().dtype(), DType::F32);
  // Backward released the saved copy, so the next use converts again; q2's node holds that copy,
  // but an in-place write to x makes x a new input: converted once more.
  Tensor q2 = ops::linear(x, wq, Tensor());
  EXPECT_EQ(autocast_input_conversions() - before, 2);
  x.detach().fill_(0.5f);
  ops::linear(x, wk, Tensor());
  EXPECT_EQ(autocast_input_conversions() - before, 3);
}

TEST(Autocast, OutsideAGuardGemmsStayF32) {
  Tensor x = leaf({3, 4}, 0.123f), w = leaf({2, 4}, 0.077f);
  Tensor exact = ops::linear(x, w, Tensor());
  Tensor mixed;
  {
    AutocastGuard guard;
    EXPECT_TRUE(autocast_enabled());
    mixed = ops::linear(x, w, Tensor());
    AutocastGuard off(false);  // false leaves the state as it is
    EXPECT_TRUE(autocast_enabled());
  }
  EXPECT_FALSE(autocast_enabled());
  EXPECT_EQ(mixed.dtype(), DType::F32);
  // The inputs are not bf16 values, so rounding them changes the result, within bf16's tolerance.
  const auto a = exact.to_vector(), b = mixed.to_vector();
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i], b[i], 1e-2 * (1 + std::abs(a[i])));
    differs |= a[i] != b[i];
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(ops::linear(x, w, Tensor()).to_vector(), a);
}

// Under autocast causal_attention runs the bf16 kernels where the CPU copy has them (the result
// moves within bf16's tolerance, gradients stay f32), and the f32 kernels elsewhere (the same
// bits as outside the guard: FORGATHER_ISA=avx2 runs this branch).
TEST(Autocast, AttentionRunsInBf16WhereTheBackendHasIt) {
  Tensor q = leaf({1, 2, 20, 8}, -0.3f), k = leaf({1, 2, 20, 8}, 0.2f),
         v = leaf({1, 2, 20, 8}, 0.5f);
  const ops::AttentionOptions o;
  const auto exact = ops::causal_attention(q, k, v, Tensor(), o, nullptr).to_vector();
  Tensor mixed;
  {
    AutocastGuard guard;
    mixed = ops::causal_attention(q, k, v, Tensor(), o, nullptr);
  }
  EXPECT_EQ(mixed.dtype(), DType::F32);
  const auto b = mixed.to_vector();
  bool differs = false;
  for (size_t i = 0; i < exact.size(); ++i) {
    EXPECT_NEAR(exact[i], b[i], 1e-2 * (1 + std::abs(exact[i])));
    differs |= exact[i] != b[i];
  }
  const bool bf16 = backend_for(Device::cpu()).supports(kernels::Kernel::Attention, DType::BF16);
  EXPECT_EQ(differs, bf16) << "bf16 kernel available: " << bf16;
  ops::sum(mixed).backward();
  ASSERT_TRUE(q.grad().defined());
  EXPECT_EQ(q.grad().dtype(), DType::F32);
  EXPECT_EQ(v.grad().dtype(), DType::F32);
}

// Under autocast glu keeps its inputs for backward in bf16: the forward is exact, and the input
// gradients are those of the f32 op at the bf16-rounded inputs, bit for bit (gradients f32).
TEST(Autocast, GluSavesItsInputsInBf16) {
  const Shape s{3, 50};
  auto grads_of = [&](const Tensor& value, const Tensor& gate, bool mixed) {
    Tensor v = value.detach().clone().set_requires_grad(true);
    Tensor g = gate.detach().clone().set_requires_grad(true);
    AutocastGuard guard(mixed);
    Tensor y = ops::glu(v, g, ops::Activation::SiLU);
    ops::sum(ops::mul(y, leaf(s, 0.7f).detach())).backward();
    return std::make_tuple(y.to_vector(), v.grad().to_vector(), g.grad().to_vector());
  };
  const Tensor value = leaf(s, -0.4f), gate = leaf(s, 0.123f);
  const auto rounded = [](const Tensor& t) { return t.to(DType::BF16).to(DType::F32); };
  const auto [y32, gv32, gg32] = grads_of(value, gate, false);
  const auto [y16, gv16, gg16] = grads_of(value, gate, true);
  const auto [yr, gvr, ggr] = grads_of(rounded(value), rounded(gate), false);
  EXPECT_EQ(y16, y32) << "the forward runs on the f32 inputs";
  EXPECT_EQ(gv16, gvr);
  EXPECT_EQ(gg16, ggr);
  EXPECT_NE(gg16, gg32) << "the inputs are not bf16 values, so their rounding shows";
}

}  // namespace
}  // namespace fg
