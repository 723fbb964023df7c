// Split slices ("train[:500]", "validation[10%:]") read their numbers strictly: a count is a
// whole int64, a percentage a finite number in 0..100.
#include "data/slice.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace fg::data {
namespace {

TEST(Slice, HugeCountMeansTheWholeSplit) {
  const Slice s = parse_slice("[:9223372036854775807]");
  ASSERT_TRUE(s.end.has_value());
  EXPECT_GT(*s.end, 1e18);
}

struct BadSlice {
  const char* name;
  const char* text;
};

class HostileSlice : public ::testing::TestWithParam<BadSlice> {};

TEST_P(HostileSlice, RefusedNamingTheSlice) {
  const std::string text = GetParam().text;
  testing::expect_error([&] { parse_slice(text); }, {"[Slice] expected", "'" + text + "'"});
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileSlice,
    ::testing::Values(BadSlice{"Scientific", "[:1e3]"}, BadSlice{"Infinity", "[:inf]"},
                      BadSlice{"NaNPercent", "[:nan%]"},
                      BadSlice{"TwentyDigits", "[:99999999999999999999]"},
                      BadSlice{"Negative", "[-5:]"}, BadSlice{"OverflowPercent", "[:1e999%]"},
                      BadSlice{"Fraction", "[:2.5]"}, BadSlice{"Hex", "[0x10:]"},
                      BadSlice{"DoubleSign", "[:+-3]"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg::data
