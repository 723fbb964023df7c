#include "kernels/cpu/convert.h"

#include <cstring>

#if defined(__AVX512BF16__)
#include <immintrin.h>
#endif

#include "kernels/cpu/half.h"
#include "kernels/cpu/parallel.h"

namespace fg::kernels::cpu::FG_ISA_NS {

namespace {

template <class F>
void map_elements(int64_t n, F&& f) {
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) f(i);
}

float load(const void* p, DType t, int64_t i) {
  if (t == DType::BF16) return bf16_to_f32(static_cast<const uint16_t*>(p)[i]);
  if (t == DType::F16) return f16_to_f32(static_cast<const uint16_t*>(p)[i]);
  return static_cast<const float*>(p)[i];
}

// The hot direction (autocast converts every GEMM input and output gradient): the AVX512-BF16
// copy converts 32 floats per instruction (vcvtne2ps2bf16 rounds to nearest even like
// f32_to_bf16, but reads f32 subnormals as zero); the rest of each thread's range, and the other
// copies, take the scalar form.
void f32_to_bf16_n(const float* s, uint16_t* d, int64_t n) {
#pragma omp parallel if (n > kParallelGrain)
  {
    const Range r = thread_range(n, omp_get_thread_num(), omp_get_num_threads());
    int64_t i = r.begin;
#if defined(__AVX512BF16__)
    for (; i + 32 <= r.end; i += 32) {
      const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(s + i + 16), _mm512_loadu_ps(s + i));
      _mm512_storeu_si512(d + i, reinterpret_cast<const __m512i&>(v));
    }
#endif
#pragma omp simd
    for (int64_t j = i; j < r.end; ++j) d[j] = f32_to_bf16(s[j]);
  }
}

}  // namespace

void convert(const void* src, DType from, void* dst, DType to, int64_t n) {
  if (from == to) {
    std::memcpy(dst, src, static_cast<size_t>(n * dtype_size(to)));
    return;
  }
  // The two hot directions get their own loops, so each vectorises without a per-element switch.
  if (from == DType::F32 && to == DType::BF16) {
    f32_to_bf16_n(static_cast<const float*>(src), static_cast<uint16_t*>(dst), n);
  } else if (from == DType::BF16 && to == DType::F32) {
    const uint16_t* s = static_cast<const uint16_t*>(src);
    float* d = static_cast<float*>(dst);
    map_elements(n, [=](int64_t i) { d[i] = bf16_to_f32(s[i]); });
  } else if (to == DType::F32) {
    float* d = static_cast<float*>(dst);
    map_elements(n, [=](int64_t i) { d[i] = load(src, from, i); });
  } else if (to == DType::BF16) {
    uint16_t* d = static_cast<uint16_t*>(dst);
    map_elements(n, [=](int64_t i) { d[i] = f32_to_bf16(load(src, from, i)); });
  } else {
    uint16_t* d = static_cast<uint16_t*>(dst);
    map_elements(n, [=](int64_t i) { d[i] = f32_to_f16(load(src, from, i)); });
  }
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
