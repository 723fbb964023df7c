#pragma once
// Element types: f32 for values, bf16/f16 as 16-bit storage of reduced-precision values (kernels
// compute in f32), int32/int64 for token ids and labels.
#include <cstdint>
#include <string>

namespace fg {

enum class DType { F32, I32, I64, BF16, F16 };

constexpr int64_t dtype_size(DType t) {
  return t == DType::I64 ? 8 : (t == DType::BF16 || t == DType::F16) ? 2 : 4;
}
constexpr bool is_floating(DType t) {
  return t == DType::F32 || t == DType::BF16 || t == DType::F16;
}

// Bit patterns of the 16-bit float formats, distinct types so that Tensor::data<T>() checks the
// dtype. Conversions (round to nearest even) are kernels: Backend::convert.
struct BFloat16 {
  uint16_t bits;
};
struct Float16 {
  uint16_t bits;
};
std::string dtype_name(DType t);

// Maps a C++ element type to its DType (used by Tensor::data<T>() to check the dtype).
template <class T>
struct DTypeOf;
template <>
struct DTypeOf<float> {
  static constexpr DType value = DType::F32;
};
template <>
struct DTypeOf<int32_t> {
  static constexpr DType value = DType::I32;
};
template <>
struct DTypeOf<int64_t> {
  static constexpr DType value = DType::I64;
};

template <>
struct DTypeOf<BFloat16> {
  static constexpr DType value = DType::BF16;
};
template <>
struct DTypeOf<Float16> {
  static constexpr DType value = DType::F16;
};

}  // namespace fg
