#include "kernels/cpu/convert.h"

#include <cstring>

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

}  // namespace

void convert(const void* src, DType from, void* dst, DType to, int64_t n) {
  if (from == to) {
    std::memcpy(dst, src, static_cast<size_t>(n * dtype_size(to)));
    return;
  }
  // The two hot directions get their own loops, so each vectorises without a per-element switch.
  if (from == DType::F32 && to == DType::BF16) {
    const float* s = static_cast<const float*>(src);
    uint16_t* d = static_cast<uint16_t*>(dst);
    map_elements(n, [=](int64_t i) { d[i] = f32_to_bf16(s[i]); });
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
