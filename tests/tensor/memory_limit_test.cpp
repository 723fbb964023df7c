// Hostile tensor sizes: element and byte counts are checked for overflow, a large allocation is
// checked against the memory limit, and a bad FORGATHER_MEMORY_LIMIT is named.
#include "tensor/memory_limit.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

#include "core/error.h"

#include "support/error_of.h"
#include "tensor/tensor.h"

namespace fg {
namespace {

using test_support::error_of;

TEST(MemoryLimit, FormatsBytes) {
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(int64_t{3} << 30), "3.0 GiB");
  EXPECT_GT(tensor_memory_limit(), int64_t{1} << 20);
}

TEST(HostileTensorSizes, ElementCountOverflow) {
  const std::string msg = error_of([] { Tensor::zeros({int64_t{1} << 62, 4}); });
  EXPECT_NE(msg.find("[Shape] [4611686018427387904, 4] has more elements than int64 can count"),
            std::string::npos)
      << msg;
}

TEST(HostileTensorSizes, ByteCountOverflow) {
  const std::string msg = error_of([] { Tensor::empty({int64_t{1} << 31, int64_t{1} << 31}); });
  EXPECT_NE(msg.find("[Tensor] shape [2147483648, 2147483648] of f32 needs more bytes than int64"),
            std::string::npos)
      << msg;
}

TEST(HostileTensorSizes, NegativeExtent) {
  const std::string msg = error_of([] { Tensor::zeros({3, -2}); });
  EXPECT_NE(msg.find("[Tensor] shape [3, -2] has a negative extent"), std::string::npos) << msg;
}

TEST(HostileTensorSizes, BeyondTheMachine) {
  const std::string msg = error_of([] { Tensor::empty({int64_t{1} << 40, 1024}); });
  EXPECT_NE(msg.find("[Tensor] shape [1099511627776, 1024] of f32 needs 4.0 PiB"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("this machine allows"), std::string::npos) << msg;
}

struct BadLimit {
  const char* name;
  const char* value;
  const char* message;
};

class HostileMemoryLimit : public ::testing::TestWithParam<BadLimit> {
 protected:
  void TearDown() override { unsetenv("FORGATHER_MEMORY_LIMIT"); }
};

TEST_P(HostileMemoryLimit, NamedWhenUsed) {
  setenv("FORGATHER_MEMORY_LIMIT", GetParam().value, 1);
  const std::string msg = error_of([] { tensor_memory_limit(); });
  EXPECT_NE(msg.find(GetParam().message), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileMemoryLimit,
    ::testing::Values(BadLimit{"Word", "lots", "[FORGATHER_MEMORY_LIMIT] expected an integer"},
                      BadLimit{"Zero", "0", "expected an integer >= 1, found '0'"},
                      BadLimit{"Negative", "-5G", "found '-5'"},
                      BadLimit{"OverflowingUnit", "99999999999T",
                               "[FORGATHER_MEMORY_LIMIT] expected an integer in [1, 8388607]"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg
