#pragma once
// Naive reference kernels for elementwise ops, templated on the scalar type so tests can run
// them in double precision (finite differences) and compare the CPU kernels against them.
#include <cmath>
#include <cstdint>

#include "core/rng.h"
#include "kernels/types.h"

namespace fg::kernels::ref {

template <class T>
T act_value(Activation a, T x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::ReLU:
      return x > T(0) ? x : T(0);
    case Activation::GELU:
      return T(0.5) * x * (T(1) + std::erf(x / std::sqrt(T(2))));
    case Activation::SiLU:
      return x / (T(1) + std::exp(-x));
    case Activation::Sigmoid:
      return T(1) / (T(1) + std::exp(-x));
    case Activation::Tanh:
      return std::tanh(x);
  }
  return x;
}

template <class T>
T act_grad(Activation a, T x) {
  const T pi = T(3.14159265358979323846);
  switch (a) {
    case Activation::Identity:
      return T(1);
    case Activation::ReLU:
      return x > T(0) ? T(1) : T(0);
    case Activation::GELU:
      return T(0.5) * (T(1) + std::erf(x / std::sqrt(T(2)))) +
             x * std::exp(-x * x / T(2)) / std::sqrt(T(2) * pi);
    case Activation::SiLU: {
      T s = T(1) / (T(1) + std::exp(-x));
      return s + x * s * (T(1) - s);
    }
    case Activation::Sigmoid: {
      T s = T(1) / (T(1) + std::exp(-x));
      return s * (T(1) - s);
    }
    case Activation::Tanh:
      return T(1) - std::tanh(x) * std::tanh(x);
  }
  return T(1);
}

// out[n] = a[i] op b[i % nb]
template <class T>
void binary_forward(BinaryOp op, const T* a, const T* b, T* out, int64_t n, int64_t nb) {
  for (int64_t i = 0; i < n; ++i) {
    T x = a[i], y = b[i % nb];
    out[i] = op == BinaryOp::Add ? x + y : op == BinaryOp::Sub ? x - y : x * y;
  }
}

// ga[n], gb[nb] "=" (either may be null)
template <class T>
void binary_backward(BinaryOp op, const T* a, const T* b, const T* g, T* ga, T* gb, int64_t n,
                     int64_t nb) {
  if (gb)
    for (int64_t j = 0; j < nb; ++j) gb[j] = T(0);
  for (int64_t i = 0; i < n; ++i) {
    if (ga) ga[i] = op == BinaryOp::Mul ? g[i] * b[i % nb] : g[i];
    if (gb) gb[i % nb] += op == BinaryOp::Mul ? g[i] * a[i] : op == BinaryOp::Sub ? -g[i] : g[i];
  }
}

template <class T>
void activation_forward(Activation a, const T* x, T* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = act_value(a, x[i]);
}

template <class T>
void activation_backward(Activation a, const T* x, const T* gy, T* gx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) gx[i] = gy[i] * act_grad(a, x[i]);
}

template <class T>
void glu_forward(Activation a, const T* v, const T* gate, T* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = v[i] * act_value(a, gate[i]);
}

template <class T>
void glu_backward(Activation a, const T* v, const T* gate, const T* gy, T* gv, T* gg, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    gv[i] = gy[i] * act_value(a, gate[i]);
    gg[i] = gy[i] * v[i] * act_grad(a, gate[i]);
  }
}

// Inverted dropout with element i kept when its uniform draw (seed, base+i) is >= p.
template <class T>
void dropout_forward(const T* x, T* y, int64_t n, double p, uint64_t seed, uint64_t base) {
  for (int64_t i = 0; i < n; ++i) {
    bool keep = bits_to_unit_float(random_bits(seed, base + static_cast<uint64_t>(i))) >= p;
    y[i] = keep ? x[i] / T(1 - p) : T(0);
  }
}

}  // namespace fg::kernels::ref
