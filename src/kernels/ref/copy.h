#pragma once
// Reference permute and embedding gather / scatter-add.
#include <cstdint>
#include <vector>

namespace fg::kernels::ref {

// y = x permuted; y's dim i is x's dim perm[i].
template <class T>
void permute(const T* x, T* y, const std::vector<int64_t>& shape,
             const std::vector<int64_t>& perm) {
  int64_t nd = static_cast<int64_t>(shape.size()), n = 1;
  std::vector<int64_t> xs(nd, 1);
  for (int64_t i = nd - 2; i >= 0; --i) xs[i] = xs[i + 1] * shape[i + 1];
  for (int64_t d : shape) n *= d;
  for (int64_t o = 0; o < n; ++o) {
    int64_t rem = o, src = 0;
    for (int64_t i = nd - 1; i >= 0; --i) {
      int64_t ext = shape[perm[i]];
      src += (rem % ext) * xs[perm[i]];
      rem /= ext;
    }
    y[o] = x[src];
  }
}

template <class T>
void embedding_forward(const T* w, const int64_t* ids, T* out, int64_t n, int64_t D) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t d = 0; d < D; ++d) out[i * D + d] = w[ids[i] * D + d];
}

// gw[V, D] "="
template <class T>
void embedding_backward(const int64_t* ids, const T* gy, T* gw, int64_t n, int64_t V, int64_t D) {
  for (int64_t i = 0; i < V * D; ++i) gw[i] = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t d = 0; d < D; ++d) gw[ids[i] * D + d] += gy[i * D + d];
}

// y[outer, end-start, inner] = x[outer, start:end, inner] where x is [outer, len, inner].
template <class T>
void slice_forward(const T* x, T* y, int64_t outer, int64_t len, int64_t inner, int64_t start,
                   int64_t end) {
  int64_t w = end - start;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < w; ++j)
      for (int64_t i = 0; i < inner; ++i)
        y[(o * w + j) * inner + i] = x[(o * len + start + j) * inner + i];
}

// gx[outer, len, inner] += gy scattered into [start, end) (the inverse of slice_forward).
template <class T>
void slice_backward(const T* gy, T* gx, int64_t outer, int64_t len, int64_t inner, int64_t start,
                    int64_t end) {
  int64_t w = end - start;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < w; ++j)
      for (int64_t i = 0; i < inner; ++i)
        gx[(o * len + start + j) * inner + i] += gy[(o * w + j) * inner + i];
}

}  // namespace fg::kernels::ref
