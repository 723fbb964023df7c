#pragma once
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the TFRecord mask.
// crc32c("123456789") == 0xE3069283.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace fg::formats {

// Extends `crc` (the value returned for the bytes so far; 0 for none) with `bytes`.
uint32_t crc32c_extend(uint32_t crc, std::span<const std::byte> bytes);
inline uint32_t crc32c(std::span<const std::byte> bytes) {
  return crc32c_extend(0, bytes);
}
inline uint32_t crc32c(std::string_view s) {
  return crc32c(std::as_bytes(std::span<const char>(s.data(), s.size())));
}

// The portable table-driven path (what crc32c_extend uses without SSE4.2); exposed for tests.
uint32_t crc32c_extend_table(uint32_t crc, std::span<const std::byte> bytes);

// TFRecord's masking: rotate right by 15, add 0xA282EAD8 (mod 2^32).
constexpr uint32_t mask_crc(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}
constexpr uint32_t unmask_crc(uint32_t masked) {
  uint32_t rot = masked - 0xA282EAD8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace fg::formats
