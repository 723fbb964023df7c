// Rounding of f32 to bf16 and f16 (round to nearest even) on known bit patterns, and exact round
// trips of every 16-bit pattern.
#include "kernels/cpu/half.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/cpu/cpu_backend.h"
#include "kernels/cpu/isa.h"

// The helpers as built with the project flags (namespace `host`, see isa_namespace.h).
namespace fg::kernels::cpu::FG_ISA_NS {
namespace {

float from_bits(uint32_t u) {
  return std::bit_cast<float>(u);
}

TEST(Half, Bf16RoundsToNearestEven) {
  EXPECT_EQ(f32_to_bf16(1.f), 0x3f80);
  EXPECT_EQ(f32_to_bf16(from_bits(0x3f807fff)), 0x3f80);  // below half an ulp: down
  EXPECT_EQ(f32_to_bf16(from_bits(0x3f808001)), 0x3f81);  // above half an ulp: up
  EXPECT_EQ(f32_to_bf16(from_bits(0x3f808000)), 0x3f80);  // tie, even below: down
  EXPECT_EQ(f32_to_bf16(from_bits(0x3f818000)), 0x3f82);  // tie, odd below: up to even
  EXPECT_EQ(f32_to_bf16(-2.f), 0xc000);
  EXPECT_EQ(f32_to_bf16(from_bits(0x7f7fffff)), 0x7f80);  // the largest f32 rounds to infinity
  EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::infinity()), 0x7f80);
  const uint16_t nan = f32_to_bf16(from_bits(0x7f800001));  // a NaN whose payload is all dropped
  EXPECT_TRUE(std::isnan(bf16_to_f32(nan)));
}

TEST(Half, F16RoundsToNearestEven) {
  EXPECT_EQ(f32_to_f16(1.f), 0x3c00);
  EXPECT_EQ(f32_to_f16(-2.f), 0xc000);
  EXPECT_EQ(f32_to_f16(65504.f), 0x7bff);              // the largest f16
  EXPECT_EQ(f32_to_f16(65519.f), 0x7bff);              // below the midpoint to 2^16
  EXPECT_EQ(f32_to_f16(65520.f), 0x7c00);              // the midpoint rounds (to even) to infinity
  EXPECT_EQ(f32_to_f16(1.f + 0x1p-11f), 0x3c00);       // tie, even below: down
  EXPECT_EQ(f32_to_f16(1.f + 3 * 0x1p-11f), 0x3c02);   // tie, odd below: up
  EXPECT_EQ(f32_to_f16(0x1p-24f), 0x0001);             // the smallest subnormal
  EXPECT_EQ(f32_to_f16(0x1p-25f), 0x0000);             // tie with zero: to even (0)
  EXPECT_EQ(f32_to_f16(0x1p-25f + 0x1p-30f), 0x0001);  // above the tie: up
  EXPECT_EQ(f32_to_f16(0x1p-14f - 0x1p-25f), 0x0400);  // rounds up into the normals
  EXPECT_EQ(f32_to_f16(-0.f), 0x8000);
  EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(std::numeric_limits<float>::quiet_NaN()))));
}

TEST(Half, EveryPatternRoundTrips) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const auto b = static_cast<uint16_t>(h);
    const float fb = bf16_to_f32(b), fh = f16_to_f32(b);
    if (std::isnan(fb)) {
      EXPECT_TRUE(std::isnan(bf16_to_f32(f32_to_bf16(fb))));
    } else {
      ASSERT_EQ(f32_to_bf16(fb), b) << "bf16 " << h;
    }
    if (std::isnan(fh)) {
      EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(fh))));
    } else {
      ASSERT_EQ(f32_to_f16(fh), b) << "f16 " << h;
    }
  }
  EXPECT_EQ(f16_to_f32(0x0001), 0x1p-24f);
  EXPECT_EQ(f16_to_f32(0x3555), 0.333251953125f);
}

// Every ISA copy's convert kernel (vector code in the avx512 copy) gives the scalar rounding's
// bits, including exact ties, for normal values of every magnitude and an odd length.
TEST(Half, EveryIsaCopyConvertsLikeTheScalarForm) {
  std::mt19937 gen(3);
  std::vector<float> x(100003);
  for (size_t i = 0; i < x.size(); ++i) {
    const uint32_t bits = 0x00800000u + gen() % 0x7e000000u;  // normal, finite, both signs
    x[i] = from_bits(i % 5 == 0 ? (bits & ~0xffffu) | 0x8000u : bits) * (i % 2 ? -1.f : 1.f);
  }
  for (Isa isa : supported_isas()) {
    CpuBackend backend(isa);
    std::vector<uint16_t> b(x.size()), h(x.size());
    std::vector<float> back(x.size());
    backend.convert(x.data(), DType::F32, b.data(), DType::BF16, static_cast<int64_t>(x.size()));
    backend.convert(x.data(), DType::F32, h.data(), DType::F16, static_cast<int64_t>(x.size()));
    backend.convert(b.data(), DType::BF16, back.data(), DType::F32, static_cast<int64_t>(x.size()));
    for (size_t i = 0; i < x.size(); ++i) {
      ASSERT_EQ(b[i], f32_to_bf16(x[i])) << isa_name(isa) << " bf16 at " << i;
      ASSERT_EQ(h[i], f32_to_f16(x[i])) << isa_name(isa) << " f16 at " << i;
      ASSERT_EQ(back[i], bf16_to_f32(b[i])) << isa_name(isa) << " widening at " << i;
    }
  }
}

}  // namespace
}  // namespace fg::kernels::cpu::FG_ISA_NS
