#include "kernels/cpu/optimizer_kernels.h"

#include <cmath>

#include "kernels/cpu/cpu_backend.h"

namespace fg::kernels::cpu {
namespace {

// The flags are template parameters so each variant's loop is branch-free and vectorises.
template <bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
void sgd_loop(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s) {
#pragma omp parallel for simd schedule(static) if (n > (1 << 17))
  for (int64_t i = 0; i < n; ++i) {
    float d = kDecay ? std::fma(s.weight_decay, p[i], g[i]) : g[i];
    if constexpr (kMomentum) {
      float b = kFirst ? d : std::fma(s.one_minus_dampening, d, buf[i] * s.momentum);
      buf[i] = b;
      d = kNesterov ? std::fma(s.momentum, b, d) : b;
    }
    p[i] = std::fma(-s.lr, d, p[i]);
  }
}

template <bool kDecay>
void sgd_dispatch(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s, bool first,
                  bool nesterov) {
  if (buf == nullptr) return sgd_loop<kDecay, false, false, false>(p, g, buf, n, s);
  if (first) {
    if (nesterov) return sgd_loop<kDecay, true, true, true>(p, g, buf, n, s);
    return sgd_loop<kDecay, true, true, false>(p, g, buf, n, s);
  }
  if (nesterov) return sgd_loop<kDecay, true, false, true>(p, g, buf, n, s);
  sgd_loop<kDecay, true, false, false>(p, g, buf, n, s);
}

}  // namespace

void adamw_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s) {
  // torch's CPU add(alpha) and addcmul evaluate as fused multiply-adds; the fma calls below
  // reproduce torch.optim.AdamW bit for bit.
  const AdamWScalars c = s;  // local copy: lets the compiler keep scalars in registers
#pragma omp parallel for simd schedule(static) if (n > (1 << 17))
  for (int64_t i = 0; i < n; ++i) {
    float gi = g[i];
    float pi = p[i] * c.decay;
    float mi = std::fma(c.one_minus_beta1, gi, m[i] * c.beta1);
    float vi = std::fma(c.one_minus_beta2 * gi, gi, v[i] * c.beta2);
    float denom = std::sqrt(vi) / c.bias_correction2_sqrt + c.eps;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi + c.neg_step_size * mi / denom;
  }
}

void sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s, bool decay,
                bool first, bool nesterov) {
  // torch's add(x, alpha) is a fused multiply-add on the CPU; the fma calls reproduce its bits.
  if (decay)
    sgd_dispatch<true>(p, g, buf, n, s, first, nesterov);
  else
    sgd_dispatch<false>(p, g, buf, n, s, first, nesterov);
}

double l2_norm(const float* x, int64_t n) {
  double acc = 0.0;
#pragma omp parallel for simd reduction(+ : acc) schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) acc += static_cast<double>(x[i]) * x[i];
  return std::sqrt(acc);
}

void scale(float* x, int64_t n, float factor) {
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) x[i] *= factor;
}

void CpuBackend::scale(float* x, int64_t n, float factor) {
  cpu::scale(x, n, factor);
}
void CpuBackend::adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                              const AdamWScalars& s) {
  cpu::adamw_update(p, g, m, v, n, s);
}
void CpuBackend::sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s,
                            bool decay, bool first, bool nesterov) {
  cpu::sgd_update(p, g, buf, n, s, decay, first, nesterov);
}
void CpuBackend::l2_norm(const float* x, int64_t n, float* out) {
  out[0] = static_cast<float>(cpu::l2_norm(x, n));
}

}  // namespace fg::kernels::cpu
