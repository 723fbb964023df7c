// Accuracy of the vectorisable exp/erf/tanh/sigmoid against libm in double precision.
#include "kernels/cpu/vec_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

// The helpers as built with the project flags (namespace `host`, see isa_namespace.h).
namespace fg::kernels::cpu::FG_ISA_NS {
namespace {

TEST(VecMath, ExpRelativeErrorWithinFewUlp) {
  double worst = 0;
  for (float x = -87.f; x <= 88.f; x += 0.01137f) {
    double want = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(vexp(x) - want) / want);
  }
  EXPECT_LT(worst, 4e-7);
  EXPECT_EQ(vexp(-std::numeric_limits<float>::infinity()), 0.f);
  EXPECT_EQ(vexp(-100.f), 0.f);
  EXPECT_EQ(vexp(0.f), 1.f);
}

TEST(VecMath, ErfTanhSigmoidAbsoluteError) {
  double e_erf = 0, e_tanh = 0, e_sig = 0;
  for (float x = -12.f; x <= 12.f; x += 0.001237f) {
    double xd = x;
    e_erf = std::max(e_erf, std::abs(verf(x) - std::erf(xd)));
    e_tanh = std::max(e_tanh, std::abs(vtanh(x) - std::tanh(xd)));
    e_sig = std::max(e_sig, std::abs(vsigmoid(x) - 1 / (1 + std::exp(-xd))));
  }
  EXPECT_LT(e_erf, 5e-7);
  EXPECT_LT(e_tanh, 3e-7);
  EXPECT_LT(e_sig, 3e-7);
  EXPECT_EQ(vsigmoid(-200.f), 0.f);
  EXPECT_EQ(vsigmoid(200.f), 1.f);
}

}  // namespace
}  // namespace fg::kernels::cpu::FG_ISA_NS
