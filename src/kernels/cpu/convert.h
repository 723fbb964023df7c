#pragma once
// Element type conversion between f32, bf16 and f16 (half.h does the rounding).
#include <cstdint>

#include "kernels/cpu/isa_namespace.h"
#include "tensor/dtype.h"

namespace fg::kernels::cpu::FG_ISA_NS {

// dst[n] = src[n] converted; from and to are each F32, BF16 or F16 (the op layer checks).
void convert(const void* src, DType from, void* dst, DType to, int64_t n);

}  // namespace fg::kernels::cpu::FG_ISA_NS
