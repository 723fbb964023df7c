// ops::glu_dropout (the GLU feed-forward's fused gated product and dropout) against the two ops it
// replaces: the same output and gradients bit for bit, in f32 and under bf16 autocast, and the
// same counters drawn from the Rng.
#include <gtest/gtest.h>

#include <tuple>

#include "core/rng.h"
#include "support/ramp_leaf.h"
#include "tensor/autocast.h"
#include "tensor/ops.h"

namespace fg {
namespace {

Tensor leaf(const Shape& s, float start) {
  return test_support::ramp_leaf(s, start, 0.013f, 89);
}

struct GluRun {
  std::vector<float> y, gv, gg;
  RngState rng_after;
};

GluRun run(bool fused, bool mixed, uint64_t rng_start) {
  const Shape s{5, 70};
  Tensor v = leaf(s, -0.45f), g = leaf(s, 0.2f);
  Rng rng(2024);
  rng.reserve(rng_start);  // not at counter 0: the fused kernel must use the reserved base
  AutocastGuard guard(mixed);
  const float p = 0.25f;
  Tensor y = fused ? ops::glu_dropout(v, g, ops::Activation::SiLU, p, true, rng)
                   : ops::dropout(ops::glu(v, g, ops::Activation::SiLU), p, true, rng);
  ops::sum(ops::mul(y, leaf(s, 0.5f).detach())).backward();
  return {y.to_vector(), v.grad().to_vector(), g.grad().to_vector(), rng.state()};
}

TEST(GluDropout, EqualsGluThenDropoutBitForBit) {
  for (const bool mixed : {false, true}) {
    const GluRun a = run(true, mixed, 1000), b = run(false, mixed, 1000);
    EXPECT_EQ(a.y, b.y) << "autocast " << mixed;
    EXPECT_EQ(a.gv, b.gv) << "autocast " << mixed;
    EXPECT_EQ(a.gg, b.gg) << "autocast " << mixed;
    EXPECT_TRUE(a.rng_after == b.rng_after) << "the same counters drawn";
    int64_t zeros = 0;
    for (float x : a.y) zeros += x == 0.f;
    EXPECT_GT(zeros, 0) << "dropout ran";
    EXPECT_NE(run(true, mixed, 0).y, a.y) << "another counter range gives another mask";
  }
}

TEST(GluDropout, OutsideTrainingIsThePlainGlu) {
  const Shape s{3, 8};
  Tensor v = leaf(s, 0.1f), g = leaf(s, -0.3f);
  Rng rng(5);
  const RngState before = rng.state();
  EXPECT_EQ(ops::glu_dropout(v, g, ops::Activation::GELU, 0.4f, false, rng).to_vector(),
            ops::glu(v, g, ops::Activation::GELU).to_vector());
  EXPECT_TRUE(rng.state() == before);
}

}  // namespace
}  // namespace fg
