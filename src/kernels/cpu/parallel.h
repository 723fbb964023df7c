#pragma once
// OpenMP helpers: split [0, n) into one contiguous range per thread so each thread owns its
// output range (no atomics, results independent of the thread count where sums are per-element).
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS {

// Below this many elements a loop runs on one thread; the fork costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

struct Range {
  int64_t begin, end;
};

inline Range thread_range(int64_t n, int tid, int nthreads) {
  int64_t chunk = (n + nthreads - 1) / nthreads;
  int64_t b = std::min<int64_t>(n, chunk * tid);
  return {b, std::min<int64_t>(n, b + chunk)};
}

// out[c] (= or +=) sum_r f(r, c) over rows, columns split across threads.
template <class F>
void column_reduce(int64_t rows, int64_t cols, float* out, bool accumulate, F&& f) {
#pragma omp parallel if (rows * cols > kParallelGrain)
  {
    // A thread-private copy of f lets the compiler keep its captured pointers in registers.
    F fl = f;
    Range cr = thread_range(cols, omp_get_thread_num(), omp_get_num_threads());
    if (!accumulate)
      for (int64_t c = cr.begin; c < cr.end; ++c) out[c] = 0.f;
    for (int64_t r = 0; r < rows; ++r) {
#pragma omp simd
      for (int64_t c = cr.begin; c < cr.end; ++c) out[c] += fl(r, c);
    }
  }
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
