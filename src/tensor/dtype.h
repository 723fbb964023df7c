#pragma once
// Element types: f32 for values, int32/int64 for token ids and labels.
#include <cstdint>
#include <string>

namespace fg {

enum class DType { F32, I32, I64 };

constexpr int64_t dtype_size(DType t) {
  return t == DType::I64 ? 8 : 4;
}
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

}  // namespace fg
