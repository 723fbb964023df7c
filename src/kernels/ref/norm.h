#pragma once
// Reference LayerNorm / RMSNorm over the last dim of [rows, D], templated on the scalar type.
#include <cmath>
#include <cstdint>

namespace fg::kernels::ref {

template <class T>
void layer_norm_forward(const T* x, const T* w, const T* b, T* y, T* mean, T* rstd, int64_t rows,
                        int64_t D, T eps) {
  for (int64_t r = 0; r < rows; ++r) {
    T m = 0, v = 0;
    for (int64_t i = 0; i < D; ++i) m += x[r * D + i];
    m /= T(D);
    for (int64_t i = 0; i < D; ++i) v += (x[r * D + i] - m) * (x[r * D + i] - m);
    T rs = T(1) / std::sqrt(v / T(D) + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (int64_t i = 0; i < D; ++i)
      y[r * D + i] = (x[r * D + i] - m) * rs * (w ? w[i] : T(1)) + (b ? b[i] : T(0));
  }
}

// gx "="; gw, gb "=" (may be null)
template <class T>
void layer_norm_backward(const T* x, const T* w, const T* mean, const T* rstd, const T* gy, T* gx,
                         T* gw, T* gb, int64_t rows, int64_t D) {
  for (int64_t i = 0; i < D; ++i) {
    if (gw) gw[i] = 0;
    if (gb) gb[i] = 0;
  }
  for (int64_t r = 0; r < rows; ++r) {
    T sg = 0, sgh = 0;
    for (int64_t i = 0; i < D; ++i) {
      T h = (x[r * D + i] - mean[r]) * rstd[r];
      T gh = gy[r * D + i] * (w ? w[i] : T(1));
      sg += gh;
      sgh += gh * h;
      if (gw) gw[i] += gy[r * D + i] * h;
      if (gb) gb[i] += gy[r * D + i];
    }
    for (int64_t i = 0; i < D; ++i) {
      T h = (x[r * D + i] - mean[r]) * rstd[r];
      T gh = gy[r * D + i] * (w ? w[i] : T(1));
      gx[r * D + i] = rstd[r] * (gh - sg / T(D) - h * sgh / T(D));
    }
  }
}

template <class T>
void rms_norm_forward(const T* x, const T* w, T* y, T* rstd, int64_t rows, int64_t D, T eps) {
  for (int64_t r = 0; r < rows; ++r) {
    T ss = 0;
    for (int64_t i = 0; i < D; ++i) ss += x[r * D + i] * x[r * D + i];
    rstd[r] = T(1) / std::sqrt(ss / T(D) + eps);
    for (int64_t i = 0; i < D; ++i) y[r * D + i] = x[r * D + i] * rstd[r] * (w ? w[i] : T(1));
  }
}

template <class T>
void rms_norm_backward(const T* x, const T* w, const T* rstd, const T* gy, T* gx, T* gw,
                       int64_t rows, int64_t D) {
  if (gw)
    for (int64_t i = 0; i < D; ++i) gw[i] = 0;
  for (int64_t r = 0; r < rows; ++r) {
    T sgh = 0;
    for (int64_t i = 0; i < D; ++i) {
      T h = x[r * D + i] * rstd[r];
      sgh += gy[r * D + i] * (w ? w[i] : T(1)) * h;
      if (gw) gw[i] += gy[r * D + i] * h;
    }
    for (int64_t i = 0; i < D; ++i) {
      T h = x[r * D + i] * rstd[r];
      gx[r * D + i] = rstd[r] * (gy[r * D + i] * (w ? w[i] : T(1)) - h * sgh / T(D));
    }
  }
}

}  // namespace fg::kernels::ref
