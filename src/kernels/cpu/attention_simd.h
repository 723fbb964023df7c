#pragma once
// A 16-lane float vector for the attention micro-kernels, in the widest form the ISA this copy of
// the kernels is compiled for offers: one AVX-512 register, two AVX2 registers, four SSE4.1
// registers (the x86-64-v2 baseline), or plain arrays the compiler may vectorise. Internal to
// kernels/cpu/attention*.cpp.
#include <limits>

#include "kernels/cpu/isa_namespace.h"

#if defined(__AVX512F__)
#include "kernels/cpu/attention_simd_avx512.h"
#elif defined(__AVX2__) && defined(__FMA__)
#include "kernels/cpu/attention_simd_avx2.h"
#elif defined(__SSE4_1__)
#include "kernels/cpu/attention_simd_sse.h"
#else
#include "kernels/cpu/attention_simd_portable.h"
#endif

namespace fg::kernels::cpu::FG_ISA_NS::simd {

inline V16 neg_inf() {
  return set1(-std::numeric_limits<float>::infinity());
}

}  // namespace fg::kernels::cpu::FG_ISA_NS::simd
