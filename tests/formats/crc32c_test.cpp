#include "formats/crc32c.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fg::formats {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

TEST(Crc32c, StandardCheckValues) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  // RFC 3720 (iSCSI) appendix B.4 vectors.
  std::vector<std::byte> zeros(32, std::byte{0});
  std::vector<std::byte> ones(32, std::byte{0xFF});
  std::vector<std::byte> inc(32), dec(32);
  for (int i = 0; i < 32; ++i) {
    inc[i] = static_cast<std::byte>(i);
    dec[i] = static_cast<std::byte>(31 - i);
  }
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
  EXPECT_EQ(crc32c(inc), 0x46DD794Eu);
  EXPECT_EQ(crc32c(dec), 0x113FDB5Cu);
  EXPECT_EQ(crc32c_extend_table(0, inc), 0x46DD794Eu);
  EXPECT_EQ(crc32c(bytes({0x61})), 0xC1D04330u);  // "a"
}

TEST(Crc32c, HardwareAndTablePathsAgreeAndExtendIsIncremental) {
  std::vector<std::byte> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>((i * 131 + 7) & 0xFF);
  std::span<const std::byte> all(data);
  for (size_t start : {0u, 1u, 3u, 7u}) {
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 500u, 993u}) {
      auto piece = all.subspan(start, len);
      EXPECT_EQ(crc32c(piece), crc32c_extend_table(0, piece)) << start << " " << len;
    }
  }
  for (size_t split : {0u, 1u, 13u, 999u, 1000u}) {
    EXPECT_EQ(crc32c_extend(crc32c(all.first(split)), all.subspan(split)), crc32c(all));
  }
}

TEST(Crc32c, Mask) {
  EXPECT_EQ(mask_crc(crc32c("")), 0xA282EAD8u);
  for (uint32_t v : {0u, 1u, 0xE3069283u, 0xFFFFFFFFu, 0x80000000u}) {
    EXPECT_EQ(unmask_crc(mask_crc(v)), v);
  }
  EXPECT_NE(mask_crc(1), 1u);
}

}  // namespace
}  // namespace fg::formats
