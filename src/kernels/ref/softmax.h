#pragma once
// Reference softmax, log-softmax and softmax-cross-entropy over the last dim.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace fg::kernels::ref {

template <class T>
T row_lse(const T* x, int64_t D) {
  T m = -std::numeric_limits<T>::infinity();
  for (int64_t i = 0; i < D; ++i) m = std::max(m, x[i]);
  T s = 0;
  for (int64_t i = 0; i < D; ++i) s += std::exp(x[i] - m);
  return m + std::log(s);
}

template <class T>
void softmax_forward(const T* x, T* y, int64_t rows, int64_t D, bool log) {
  for (int64_t r = 0; r < rows; ++r) {
    T l = row_lse(x + r * D, D);
    for (int64_t i = 0; i < D; ++i)
      y[r * D + i] = log ? x[r * D + i] - l : std::exp(x[r * D + i] - l);
  }
}

// From the forward output y (probabilities, or log-probabilities when log).
template <class T>
void softmax_backward(const T* y, const T* gy, T* gx, int64_t rows, int64_t D, bool log) {
  for (int64_t r = 0; r < rows; ++r) {
    T s = 0;
    for (int64_t i = 0; i < D; ++i) s += log ? gy[r * D + i] : gy[r * D + i] * y[r * D + i];
    for (int64_t i = 0; i < D; ++i)
      gx[r * D + i] =
          log ? gy[r * D + i] - std::exp(y[r * D + i]) * s : y[r * D + i] * (gy[r * D + i] - s);
  }
}

// Returns the mean loss over rows whose label != ignore (NaN if none); count "=".
template <class T>
T cross_entropy_forward(const T* logits, const int64_t* labels, int64_t N, int64_t V,
                        int64_t ignore, int64_t* count) {
  T total = 0;
  int64_t n = 0;
  for (int64_t r = 0; r < N; ++r) {
    if (labels[r] == ignore) continue;
    total += row_lse(logits + r * V, V) - logits[r * V + labels[r]];
    ++n;
  }
  *count = n;
  return n ? total / T(n) : std::numeric_limits<T>::quiet_NaN();
}

template <class T>
void cross_entropy_backward(const T* logits, const int64_t* labels, T gloss, int64_t N, int64_t V,
                            int64_t ignore, T* glogits) {
  int64_t n = 0;
  for (int64_t r = 0; r < N; ++r) n += labels[r] != ignore;
  for (int64_t r = 0; r < N; ++r) {
    T l = row_lse(logits + r * V, V);
    for (int64_t i = 0; i < V; ++i) {
      T p = labels[r] == ignore ? T(0) : std::exp(logits[r * V + i] - l) - T(i == labels[r]);
      glogits[r * V + i] = n ? gloss * p / T(n) : T(0);
    }
  }
}

}  // namespace fg::kernels::ref
