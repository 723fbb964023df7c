// Finite differences in double precision on the reference attention: the analytic dq, dk, dv and
// dslopes of ref::attention_backward against central differences of sum(out * dout).
#include <gtest/gtest.h>

#include <functional>

#include "attention_test_util.h"

namespace fg::kernels {
namespace {

using testing::make_slopes;
using testing::Slopes;

struct GradCase {
  AttentionShape s;
  AttentionParams p;
  std::vector<double> q, k, v, slopes, dout;

  GradCase(AttentionShape shape, AttentionParams params) : s(shape), p(params) {
    Rng rng(17);
    auto rand = [&](int64_t n) { return testing::to_double(testing::random_vector(n, rng)); };
    q = rand(s.B * s.H * s.Tq * s.Dh);
    k = rand(s.B * s.Hkv * s.Tk * s.Dh);
    v = rand(s.B * s.Hkv * s.Tk * s.Dh);
    dout = rand(s.B * s.H * s.Tq * s.Dh);
    slopes = testing::to_double(make_slopes(s.H, Slopes::Default));
    slopes[0] = 0.7;  // a slope that moves scores noticeably over a short sequence
  }

  double loss() const {
    std::vector<double> out(q.size()), lse(s.B * s.H * s.Tq);
    ref::attention_forward<double>(s, p, q.data(), k.data(), v.data(), slopes.data(), out.data(),
                                   lse.data());
    double l = 0;
    for (size_t i = 0; i < out.size(); ++i) l += out[i] * dout[i];
    return l;
  }

  // Checks analytic[i] against the central difference of loss() in x[i].
  void check(std::vector<double>& x, const std::vector<double>& analytic, const char* name) {
    const double eps = 1e-6;
    for (size_t i = 0; i < x.size(); ++i) {
      const double saved = x[i];
      x[i] = saved + eps;
      const double up = loss();
      x[i] = saved - eps;
      const double down = loss();
      x[i] = saved;
      const double numeric = (up - down) / (2 * eps);
      EXPECT_NEAR(analytic[i], numeric, 1e-6 * (1 + std::abs(numeric))) << name << "[" << i << "]";
    }
  }

  void run() {
    std::vector<double> dq(q.size()), dk(k.size()), dv(v.size()), ds(s.H);
    ref::attention_backward<double>(s, p, q.data(), k.data(), v.data(), slopes.data(), dout.data(),
                                    dq.data(), dk.data(), dv.data(), ds.data());
    check(q, dq, "dq");
    check(k, dk, "dk");
    check(v, dv, "dv");
    check(slopes, ds, "dslopes");
  }
};

TEST(AttentionGradcheck, ReferenceGradientsMatchFiniteDifferences) {
  GradCase({2, 4, 2, 5, 5, 3}, AttentionParams{}).run();
}

TEST(AttentionGradcheck, WithDropoutFixedMask) {
  AttentionParams p;
  p.dropout_p = 0.3f;
  p.seed = 123;
  p.rng_base = 10;
  GradCase({1, 2, 1, 6, 6, 4}, p).run();
}

TEST(AttentionGradcheck, WithQueryOffsetAndScale) {
  AttentionParams p;
  p.query_offset = 3;
  p.scale = 0.8f;
  GradCase({1, 3, 3, 3, 6, 2}, p).run();
}

}  // namespace
}  // namespace fg::kernels
