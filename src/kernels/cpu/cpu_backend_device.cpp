// CpuBackend's host<->device copies and the small index/label kernels that keep ids on the
// device. Built once (not per ISA): none of these loops is hot enough to matter.
#include <cstring>

#include "kernels/cpu/cpu_backend.h"

namespace fg::kernels::cpu {

void CpuBackend::copy_to_host(const void* src, void* host_dst, int64_t bytes) {
  if (bytes > 0) std::memcpy(host_dst, src, static_cast<size_t>(bytes));
}

void CpuBackend::copy_from_host(const void* host_src, void* dst, int64_t bytes) {
  if (bytes > 0) std::memcpy(dst, host_src, static_cast<size_t>(bytes));
}

void CpuBackend::count_invalid_ids(const int64_t* ids, int64_t n, int64_t lo, int64_t hi,
                                   int64_t allowed, int64_t* result) {
  int64_t count = 0, first = -1;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t id = ids[i];
    if (id == allowed || (id >= lo && id < hi)) continue;
    if (count++ == 0) first = i;
  }
  result[0] = count;
  result[1] = first;
}

void CpuBackend::widen_i32(const int32_t* x, int64_t* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i];
}

void CpuBackend::shift_left_i64(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                                int64_t fill) {
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t* in = x + r * cols;
    int64_t* out = y + r * cols;
    for (int64_t c = 0; c + 1 < cols; ++c) out[c] = in[c + 1];
    if (cols > 0) out[cols - 1] = fill;
  }
}

void CpuBackend::cross_entropy_backward_dev(const float* logits, const int64_t* labels,
                                            const float* lse, const float* gloss,
                                            const int64_t* count, float* glogits, int64_t N,
                                            int64_t V, int64_t ignore_index) {
  k_.cross_entropy_backward(logits, labels, lse, *gloss, *count, glogits, N, V, ignore_index);
}

void CpuBackend::fill_scaled(const float* v, float factor, float* y, int64_t n) {
  k_.fill(y, n, *v * factor);
}

}  // namespace fg::kernels::cpu
