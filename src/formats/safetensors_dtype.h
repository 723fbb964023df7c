#pragma once
// The dtype strings of the safetensors format, in the reference enum's order (which is the
// alignment order the reference writer sorts by).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fg::formats {

enum class SafetensorsDtype {
  BOOL,
  F4,
  F6_E2M3,
  F6_E3M2,
  U8,
  I8,
  F8_E5M2,
  F8_E4M3,
  F8_E8M0,
  F8_E4M3FNUZ,
  F8_E5M2FNUZ,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  C64,
  F64,
  I64,
  U64,
};

// "F32" etc.
std::string_view dtype_name(SafetensorsDtype dtype);
// nullopt for an unknown string (case-sensitive, as in the reference).
std::optional<SafetensorsDtype> parse_dtype(std::string_view name);
// Bits per element: 4 for F4, 6 for the F6 types, 8 for BOOL/U8/I8/F8_*, up to 64.
int64_t dtype_bits(SafetensorsDtype dtype);

}  // namespace fg::formats
