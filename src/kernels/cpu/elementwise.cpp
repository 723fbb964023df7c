#include "kernels/cpu/elementwise.h"

#include <algorithm>
#include <cstring>

#include "kernels/cpu/activation_math.h"
#include "kernels/cpu/half.h"
#include "kernels/cpu/parallel.h"
#include "kernels/dropout_mask.h"

namespace fg::kernels::cpu::FG_ISA_NS {

namespace {

// Calls f(std::integral_constant<Activation, A>) so A is a compile-time constant in the loop.
template <class F>
void dispatch_act(Activation a, F&& f) {
  switch (a) {
    case Activation::Identity:
      return f(std::integral_constant<Activation, Activation::Identity>{});
    case Activation::ReLU:
      return f(std::integral_constant<Activation, Activation::ReLU>{});
    case Activation::GELU:
      return f(std::integral_constant<Activation, Activation::GELU>{});
    case Activation::SiLU:
      return f(std::integral_constant<Activation, Activation::SiLU>{});
    case Activation::Sigmoid:
      return f(std::integral_constant<Activation, Activation::Sigmoid>{});
    case Activation::Tanh:
      return f(std::integral_constant<Activation, Activation::Tanh>{});
  }
}

}  // namespace

void fill(float* x, int64_t n, float v) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) x[i] = v;
}

void broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) {
#pragma omp parallel for if (rows * cols > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) std::memcpy(y + r * cols, b, sizeof(float) * cols);
}

void col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) {
  column_reduce(rows, cols, out, accumulate, [=](int64_t r, int64_t c) { return g[r * cols + c]; });
}

namespace {

// Runs f(r, i0, i1) over rows x column blocks of [rows, nb], so the work splits across threads
// whether b broadcasts over many rows or none (rows == 1).
constexpr int64_t kColBlock = 4096;

template <BinaryOp Op>
void binary_blocks(const float* a, const float* b, float* out, int64_t rows, int64_t nb) {
  int64_t nblk = (nb + kColBlock - 1) / kColBlock;
#pragma omp parallel for collapse(2) if (rows * nb > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t blk = 0; blk < nblk; ++blk) {
      const float* ar = a + r * nb;
      float* o = out + r * nb;
      int64_t end = std::min(nb, (blk + 1) * kColBlock);
#pragma omp simd
      for (int64_t i = blk * kColBlock; i < end; ++i) {
        if constexpr (Op == BinaryOp::Add) o[i] = ar[i] + b[i];
        if constexpr (Op == BinaryOp::Sub) o[i] = ar[i] - b[i];
        if constexpr (Op == BinaryOp::Mul) o[i] = ar[i] * b[i];
      }
    }
}

}  // namespace

void binary_forward(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                    int64_t nb) {
  int64_t rows = n / nb;
  if (op == BinaryOp::Add) binary_blocks<BinaryOp::Add>(a, b, out, rows, nb);
  if (op == BinaryOp::Sub) binary_blocks<BinaryOp::Sub>(a, b, out, rows, nb);
  if (op == BinaryOp::Mul) binary_blocks<BinaryOp::Mul>(a, b, out, rows, nb);
}

void binary_backward(BinaryOp op, const float* a, const float* b, const float* g, float* ga,
                     float* gb, int64_t n, int64_t nb) {
  int64_t rows = n / nb;
  if (ga) {
    if (op == BinaryOp::Mul)
      binary_blocks<BinaryOp::Mul>(g, b, ga, rows, nb);  // ga = g * b
    else
      std::memcpy(ga, g, sizeof(float) * n);
  }
  if (!gb) return;
  if (op == BinaryOp::Mul) {
    column_reduce(rows, nb, gb, false,
                  [=](int64_t r, int64_t c) { return g[r * nb + c] * a[r * nb + c]; });
  } else {
    float sign = op == BinaryOp::Sub ? -1.f : 1.f;
    column_reduce(rows, nb, gb, false, [=](int64_t r, int64_t c) { return sign * g[r * nb + c]; });
  }
}

void affine(const float* x, float* y, int64_t n, float alpha, float beta) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) y[i] = alpha * x[i] + beta;
}

void axpy(const float* x, float* y, int64_t n, float alpha) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

void sum(const float* x, int64_t n, float* out) {
  double s = 0;
#pragma omp parallel for simd reduction(+ : s) if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) s += x[i];
  out[0] = static_cast<float>(s);
}

namespace {

// One loop per activation so A is a compile-time constant and the loop vectorises; pointers are
// plain parameters (not lambda captures) so OpenMP copies them in instead of re-loading them.
template <Activation A>
void act_fwd(const float* x, float* y, int64_t n) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) y[i] = act_value(A, x[i]);
}

template <Activation A>
void act_bwd(const float* x, const float* gy, float* gx, int64_t n) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) gx[i] = gy[i] * act_grad(A, x[i]);
}

// f(std::true_type) when d drops anything, else f(std::false_type): the kernels below skip the
// random draws at compile time when there is no dropout.
template <class F>
void with_dropout(const FusedDropout& d, F f) {
  if (d.p > 0.f)
    f(std::true_type{});
  else
    f(std::false_type{});
}

template <Activation A, bool Drop>
void glu_fwd(const float* value, const float* gate, float* y, int64_t n, DropoutMask drop) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float z = value[i] * act_value(A, gate[i]);
    y[i] = Drop ? drop(z, i) : z;
  }
}

template <Activation A, bool Drop>
void glu_fwd_keep(const float* value, const float* gate, float* y, uint16_t* value16,
                  uint16_t* gate16, int64_t n, DropoutMask drop) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float v = value[i], a = gate[i];
    const float z = v * act_value(A, a);
    y[i] = Drop ? drop(z, i) : z;
    value16[i] = f32_to_bf16(v);
    gate16[i] = f32_to_bf16(a);
  }
}

template <Activation A>
inline void glu_grad_at(float g, float v, float a, float& gvalue, float& ggate) {
  gvalue = g * act_value(A, a);
  ggate = g * v * act_grad(A, a);
}

template <Activation A, bool Drop>
void glu_bwd(const float* value, const float* gate, const float* gy, float* gvalue, float* ggate,
             int64_t n, DropoutMask drop) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i)
    glu_grad_at<A>(Drop ? drop(gy[i], i) : gy[i], value[i], gate[i], gvalue[i], ggate[i]);
}

template <Activation A, bool Drop>
void glu_bwd_bf16(const uint16_t* value16, const uint16_t* gate16, const float* gy, float* gvalue,
                  float* ggate, int64_t n, DropoutMask drop) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i)
    glu_grad_at<A>(Drop ? drop(gy[i], i) : gy[i], bf16_to_f32(value16[i]), bf16_to_f32(gate16[i]),
                   gvalue[i], ggate[i]);
}

}  // namespace

namespace {

template <Activation A>
void bias_act(const float* b, float* pre, float* out, int64_t rows, int64_t cols) {
#pragma omp parallel for if (rows * cols > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    float* p = pre + r * cols;
    float* o = out ? out + r * cols : nullptr;
    if (b) {
#pragma omp simd
      for (int64_t c = 0; c < cols; ++c) p[c] += b[c];
    }
    if (o) {
#pragma omp simd
      for (int64_t c = 0; c < cols; ++c) o[c] = act_value(A, p[c]);
    }
  }
}

}  // namespace

void bias_act_forward(Activation a, const float* b, float* pre, float* out, int64_t rows,
                      int64_t cols) {
  dispatch_act(a, [=](auto A) { bias_act<A.value>(b, pre, out, rows, cols); });
}

void activation_forward(Activation a, const float* x, float* y, int64_t n) {
  dispatch_act(a, [=](auto A) { act_fwd<A.value>(x, y, n); });
}

void activation_backward(Activation a, const float* x, const float* gy, float* gx, int64_t n) {
  dispatch_act(a, [=](auto A) { act_bwd<A.value>(x, gy, gx, n); });
}

void glu_forward(Activation a, const float* value, const float* gate, float* y, int64_t n,
                 const FusedDropout& drop) {
  dispatch_act(a, [=](auto A) {
    with_dropout(drop,
                 [=](auto D) { glu_fwd<A.value, D.value>(value, gate, y, n, DropoutMask(drop)); });
  });
}

void glu_backward(Activation a, const float* value, const float* gate, const float* gy,
                  float* gvalue, float* ggate, int64_t n, const FusedDropout& drop) {
  dispatch_act(a, [=](auto A) {
    with_dropout(drop, [=](auto D) {
      glu_bwd<A.value, D.value>(value, gate, gy, gvalue, ggate, n, DropoutMask(drop));
    });
  });
}

void glu_forward_keep_bf16(Activation a, const float* value, const float* gate, float* y,
                           uint16_t* value16, uint16_t* gate16, int64_t n,
                           const FusedDropout& drop) {
  dispatch_act(a, [=](auto A) {
    with_dropout(drop, [=](auto D) {
      glu_fwd_keep<A.value, D.value>(value, gate, y, value16, gate16, n, DropoutMask(drop));
    });
  });
}

void glu_backward_bf16(Activation a, const uint16_t* value16, const uint16_t* gate16,
                       const float* gy, float* gvalue, float* ggate, int64_t n,
                       const FusedDropout& drop) {
  dispatch_act(a, [=](auto A) {
    with_dropout(drop, [=](auto D) {
      glu_bwd_bf16<A.value, D.value>(value16, gate16, gy, gvalue, ggate, n, DropoutMask(drop));
    });
  });
}

void dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed, uint64_t base) {
  const DropoutMask drop(FusedDropout{p, seed, base});
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) y[i] = drop(x[i], i);
}

void dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                      uint64_t base) {
  dropout_forward(gy, gx, n, p, seed, base);
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
