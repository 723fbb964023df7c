#include "core/parse_number.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace fg {
namespace {

TEST(ParseNumber, AcceptsWholeNumbersInRange) {
  EXPECT_EQ(parse_int("42", "x"), 42);
  EXPECT_EQ(parse_int("+7", "x"), 7);
  EXPECT_EQ(parse_int("-1", "x", -1, 10), -1);
  EXPECT_EQ(parse_int("9223372036854775807", "x"), kInt64Max);
  EXPECT_EQ(parse_int("-9223372036854775808", "x"), kInt64Min);
  EXPECT_DOUBLE_EQ(parse_double("3e-4", "x"), 3e-4);
  EXPECT_DOUBLE_EQ(parse_double("-.5", "x"), -0.5);
  EXPECT_DOUBLE_EQ(parse_double("1", "x", 0, 1), 1.0);
}

struct BadNumber {
  const char* name;
  const char* text;
  bool integer;  // parse_int in [min, max] (else parse_double in [0, 1])
  int64_t min;
  const char* message;
};

class HostileNumbers : public ::testing::TestWithParam<BadNumber> {};

TEST_P(HostileNumbers, RefusedWithFlagValueAndRange) {
  const BadNumber& c = GetParam();
  try {
    if (c.integer)
      parse_int(c.text, "--flag", c.min, kInt64Max);
    else
      parse_double(c.text, "--flag", 0.0, 1.0);
    FAIL() << "accepted " << c.text;
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[--flag]"), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.message), std::string::npos) << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileNumbers,
    ::testing::Values(
        BadNumber{"Negative", "-5", true, 1, "expected an integer >= 1, found '-5'"},
        BadNumber{"Fraction", "2.5", true, 1, "found '2.5' (not an integer)"},
        BadNumber{"TwentyDigits", "12345678901234567890", true, 1,
                  "(out of range for a 64-bit integer)"},
        BadNumber{"BelowInt64", "-9223372036854775809", true, kInt64Min,
                  "out of range for a 64-bit integer"},
        BadNumber{"Empty", "", true, 0, "found ''"},
        BadNumber{"TrailingText", "12abc", true, 0, "found '12abc'"},
        BadNumber{"Hex", "0x10", true, 0, "found '0x10'"},
        BadNumber{"Spaces", " 3", true, 0, "found ' 3'"},
        BadNumber{"DoubleSign", "+-3", true, kInt64Min, "found '+-3'"},
        BadNumber{"ScientificInt", "1e3", true, 0, "(not an integer)"},
        BadNumber{"HugeExponent", "1e999", false, 0, "found '1e999' (out of range for a double)"},
        BadNumber{"NaN", "nan", false, 0, "expected a number in [0, 1], found 'nan'"},
        BadNumber{"Infinity", "inf", false, 0, "found 'inf'"},
        BadNumber{"AboveRange", "1.5", false, 0, "expected a number in [0, 1], found '1.5'"},
        BadNumber{"TwoPoints", "1.2.3", false, 0, "found '1.2.3'"},
        BadNumber{"HexFloat", "0x1p3", false, 0, "found '0x1p3'"},
        BadNumber{"LongGarbage", "99999999999999999999999999999999999999999999999999999999999999",
                  true, 0, "characters)"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg
