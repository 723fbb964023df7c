#include "kernels/ref/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fg::kernels::ref {
namespace {

// One (b, h) slice with everything needed to evaluate a score or a dropout factor.
template <class T>
struct Head {
  const AttentionShape& s;
  const AttentionParams& p;
  int64_t b, h;
  const T* q;  // [Tq,Dh] of this head
  const T* k;  // [Tk,Dh] of its kv head
  const T* v;
  T slope, scale;

  Head(const AttentionShape& shape, const AttentionParams& params, int64_t b_, int64_t h_,
       const T* q_all, const T* k_all, const T* v_all, const T* slopes)
      : s(shape), p(params), b(b_), h(h_) {
    const int64_t hkv = h / (s.H / s.Hkv);
    q = q_all + (b * s.H + h) * s.Tq * s.Dh;
    k = k_all + (b * s.Hkv + hkv) * s.Tk * s.Dh;
    v = v_all + (b * s.Hkv + hkv) * s.Tk * s.Dh;
    slope = slopes ? slopes[h] : T(0);
    scale = static_cast<T>(attention_scale(s, p));
  }
  T rel(int64_t i, int64_t j) const { return static_cast<T>(j - (i + p.query_offset)); }
  bool visible(int64_t i, int64_t j) const { return !p.causal || j <= i + p.query_offset; }
  T dot(const T* a, const T* c) const {
    T acc = 0;
    for (int64_t d = 0; d < s.Dh; ++d) acc += a[d] * c[d];
    return acc;
  }
  T score(int64_t i, int64_t j) const {
    return scale * dot(q + i * s.Dh, k + j * s.Dh) + slope * rel(i, j);
  }
  // Dropout factor of P[i,j]: 1 without dropout, else keep / (1 - p).
  T drop(int64_t i, int64_t j) const {
    if (p.dropout_p == 0) return T(1);
    const bool keep = attention_keep(p, attention_dropout_counter(s, p, b, h, i, j));
    return keep ? T(1) / (T(1) - static_cast<T>(p.dropout_p)) : T(0);
  }
  // log sum_j exp(S[i,j]) over the visible keys.
  T lse(int64_t i) const {
    T mx = -std::numeric_limits<T>::infinity();
    for (int64_t j = 0; j < s.Tk; ++j)
      if (visible(i, j)) mx = std::max(mx, score(i, j));
    T sum = 0;
    for (int64_t j = 0; j < s.Tk; ++j)
      if (visible(i, j)) sum += std::exp(score(i, j) - mx);
    return mx + std::log(sum);
  }
  T prob(int64_t i, int64_t j, T row_lse) const {
    return visible(i, j) ? std::exp(score(i, j) - row_lse) : T(0);
  }
};

}  // namespace

template <class T>
void attention_forward(const AttentionShape& s, const AttentionParams& p, const T* q, const T* k,
                       const T* v, const T* slopes, T* out, T* lse) {
  for (int64_t b = 0; b < s.B; ++b) {
    for (int64_t h = 0; h < s.H; ++h) {
      const Head<T> hd(s, p, b, h, q, k, v, slopes);
      for (int64_t i = 0; i < s.Tq; ++i) {
        const int64_t row = (b * s.H + h) * s.Tq + i;
        T* o = out + row * s.Dh;
        std::fill(o, o + s.Dh, T(0));
        lse[row] = hd.lse(i);
        for (int64_t j = 0; j < s.Tk; ++j) {
          const T pij = hd.prob(i, j, lse[row]) * hd.drop(i, j);
          for (int64_t d = 0; d < s.Dh; ++d) o[d] += pij * hd.v[j * s.Dh + d];
        }
      }
    }
  }
}

template <class T>
void attention_backward(const AttentionShape& s, const AttentionParams& p, const T* q, const T* k,
                        const T* v, const T* slopes, const T* dout, T* dq, T* dk, T* dv,
                        T* dslopes) {
  std::fill(dk, dk + s.B * s.Hkv * s.Tk * s.Dh, T(0));
  std::fill(dv, dv + s.B * s.Hkv * s.Tk * s.Dh, T(0));
  const bool want_dslopes = slopes != nullptr && dslopes != nullptr;
  if (want_dslopes) std::fill(dslopes, dslopes + s.H, T(0));
  for (int64_t b = 0; b < s.B; ++b) {
    for (int64_t h = 0; h < s.H; ++h) {
      const Head<T> hd(s, p, b, h, q, k, v, slopes);
      const int64_t kv_off = hd.k - k;  // same offset into k, v, dk, dv
      for (int64_t i = 0; i < s.Tq; ++i) {
        const int64_t row = (b * s.H + h) * s.Tq + i;
        const T* go = dout + row * s.Dh;
        const T* qi = hd.q + i * s.Dh;
        T* gq = dq + row * s.Dh;
        std::fill(gq, gq + s.Dh, T(0));
        const T row_lse = hd.lse(i);
        // dP[i,j] = drop(i,j) * dout_i . v_j;  D_i = sum_j P[i,j] dP[i,j].
        T D = 0;
        for (int64_t j = 0; j < s.Tk; ++j)
          D += hd.prob(i, j, row_lse) * hd.drop(i, j) * hd.dot(go, hd.v + j * s.Dh);
        for (int64_t j = 0; j < s.Tk; ++j) {
          const T pij = hd.prob(i, j, row_lse);
          const T drop = hd.drop(i, j);
          const T dS = pij * (drop * hd.dot(go, hd.v + j * s.Dh) - D);
          T* gk = dk + kv_off + j * s.Dh;
          T* gv = dv + kv_off + j * s.Dh;
          const T* kj = hd.k + j * s.Dh;
          for (int64_t d = 0; d < s.Dh; ++d) {
            gq[d] += hd.scale * dS * kj[d];
            gk[d] += hd.scale * dS * qi[d];
            gv[d] += pij * drop * go[d];
          }
          if (want_dslopes) dslopes[h] += dS * hd.rel(i, j);
        }
      }
    }
  }
}

template void attention_forward<float>(const AttentionShape&, const AttentionParams&, const float*,
                                       const float*, const float*, const float*, float*, float*);
template void attention_forward<double>(const AttentionShape&, const AttentionParams&,
                                        const double*, const double*, const double*, const double*,
                                        double*, double*);
template void attention_backward<float>(const AttentionShape&, const AttentionParams&, const float*,
                                        const float*, const float*, const float*, const float*,
                                        float*, float*, float*, float*);
template void attention_backward<double>(const AttentionShape&, const AttentionParams&,
                                         const double*, const double*, const double*, const double*,
                                         const double*, double*, double*, double*, double*);

}  // namespace fg::kernels::ref
