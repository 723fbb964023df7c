#pragma once
// Helpers for the attention kernel tests: random inputs, the reference run in double precision and
// tolerance checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/rng.h"
#include "kernels/attention_shape.h"
#include "kernels/cpu/isa.h"
#include "kernels/ref/attention.h"

namespace fg::kernels::testing {

enum class Slopes { None, Default, Alt };

// The CPU kernels of the ISA FORGATHER_ISA names, else the best this CPU runs; ctest runs the
// attention tests once per ISA (tests/kernels/CMakeLists.txt).
inline const cpu::KernelTable& kernels_under_test() {
  static const cpu::KernelTable& kernels = cpu::kernels_for(cpu::isa_from_environment());
  return kernels;
}

// ALiBi slopes as CausalAlibiAttn initialises them (spec-ml §1.5).
inline std::vector<float> make_slopes(int64_t H, Slopes kind) {
  std::vector<float> s(H, 0.0f);
  for (int64_t h = 0; h < H; ++h) {
    const double t = H > 1 ? 7.0 * h / (H - 1) : 0.0;
    if (kind == Slopes::Default) s[h] = static_cast<float>(std::pow(2.0, -t));
    if (kind == Slopes::Alt) s[h] = 2 * h >= H ? 0.0f : static_cast<float>(std::pow(2.0, -(1 + t)));
  }
  return s;
}

inline std::vector<float> random_vector(int64_t n, Rng& rng, double stddev = 1.0) {
  std::vector<float> x(n);
  for (auto& e : x) e = static_cast<float>(rng.normal(0.0, stddev));
  return x;
}

inline std::vector<double> to_double(const std::vector<float>& x) {
  return {x.begin(), x.end()};
}

// All tensors of one attention call, forward outputs and gradients.
struct AttentionData {
  AttentionShape s;
  AttentionParams p;
  std::vector<float> q, k, v, slopes, dout;  // slopes empty = no ALiBi
  std::vector<float> out, lse, dq, dk, dv, dslopes;

  AttentionData(AttentionShape shape, AttentionParams params, Slopes kind, uint64_t seed)
      : s(shape), p(params) {
    Rng rng(seed);
    q = random_vector(s.B * s.H * s.Tq * s.Dh, rng);
    k = random_vector(s.B * s.Hkv * s.Tk * s.Dh, rng);
    v = random_vector(s.B * s.Hkv * s.Tk * s.Dh, rng);
    dout = random_vector(s.B * s.H * s.Tq * s.Dh, rng);
    if (kind != Slopes::None) slopes = make_slopes(s.H, kind);
  }
  const float* slopes_ptr() const { return slopes.empty() ? nullptr : slopes.data(); }

  // Runs the fused CPU forward and backward, filling out, lse and the gradients.
  void run_cpu(cpu::AttentionBackwardSchedule schedule = cpu::AttentionBackwardSchedule::Auto) {
    out.assign(q.size(), 0.0f);
    lse.assign(s.B * s.H * s.Tq, 0.0f);
    const cpu::KernelTable& kernels = kernels_under_test();
    kernels.attention_forward(s, p, q.data(), k.data(), v.data(), slopes_ptr(), out.data(),
                              lse.data());
    dq.assign(q.size(), 0.0f);
    dk.assign(k.size(), 0.0f);
    dv.assign(v.size(), 0.0f);
    dslopes.assign(s.H, 0.0f);
    std::vector<float> ws(kernels.attention_backward_workspace_size(s));
    kernels.attention_backward(s, p, q.data(), k.data(), v.data(), slopes_ptr(), out.data(),
                               lse.data(), dout.data(), dq.data(), dk.data(), dv.data(),
                               dslopes.data(), ws.data(), schedule);
  }
};

// The reference results in double precision for the same (float) inputs.
struct Reference {
  std::vector<double> out, lse, dq, dk, dv, dslopes;

  explicit Reference(const AttentionData& d) {
    const auto q = to_double(d.q), k = to_double(d.k), v = to_double(d.v);
    const auto sl = to_double(d.slopes), dout = to_double(d.dout);
    const double* slp = sl.empty() ? nullptr : sl.data();
    out.resize(q.size());
    lse.resize(d.s.B * d.s.H * d.s.Tq);
    ref::attention_forward<double>(d.s, d.p, q.data(), k.data(), v.data(), slp, out.data(),
                                   lse.data());
    dq.resize(q.size());
    dk.resize(k.size());
    dv.resize(v.size());
    dslopes.resize(d.s.H);
    ref::attention_backward<double>(d.s, d.p, q.data(), k.data(), v.data(), slp, dout.data(),
                                    dq.data(), dk.data(), dv.data(), dslopes.data());
  }
};

// |actual - expected| <= rtol * (|expected| + max|expected|) + atol elementwise: relative to the
// value and to the tensor's scale, so entries near zero from cancellation do not fail spuriously
// (atol covers gradients that are exactly zero in exact arithmetic, e.g. dq when Tk == 1).
template <class A, class E>
::testing::AssertionResult all_close(const std::vector<A>& actual, const std::vector<E>& expected,
                                     double rtol, double atol = 1e-5) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure() << "size " << actual.size() << " vs " << expected.size();
  double scale = 0;
  for (auto e : expected) scale = std::max(scale, std::abs(static_cast<double>(e)));
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], e = expected[i];
    if (!(std::abs(a - e) <= rtol * (std::abs(e) + scale) + atol))
      return ::testing::AssertionFailure()
             << "element " << i << ": " << a << " vs expected " << e << " (scale " << scale << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace fg::kernels::testing
