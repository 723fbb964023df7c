// Plain scalars a hostile config may hold: malformed numbers stay strings, out-of-range floats
// become inf as in Python, and very long scalars resolve without recursing per character.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "config/yaml_scalar.h"

namespace fg::config {
namespace {

struct ScalarCase {
  const char* name;
  std::string text;
  ScalarValue expected;
};

bool same(const ScalarValue& a, const ScalarValue& b) {
  if (a.index() != b.index()) return false;
  if (auto* d = std::get_if<double>(&a)) {
    const double e = std::get<double>(b);
    return (std::isnan(*d) && std::isnan(e)) || *d == e;
  }
  if (std::holds_alternative<ScalarNull>(a)) return true;
  if (auto* i = std::get_if<int64_t>(&a)) return *i == std::get<int64_t>(b);
  if (auto* t = std::get_if<bool>(&a)) return *t == std::get<bool>(b);
  return std::get<std::string>(a) == std::get<std::string>(b);
}

std::string describe(const ScalarValue& v) {
  if (std::holds_alternative<ScalarNull>(v)) return "null";
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&v)) return "int " + std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return "float " + std::to_string(*d);
  const std::string& s = std::get<std::string>(v);
  return "string '" + s.substr(0, 40) + (s.size() > 40 ? "...'" : "'");
}

class HostileYamlScalar : public testing::TestWithParam<ScalarCase> {};

TEST_P(HostileYamlScalar, ResolvesWithoutThrowing) {
  const ScalarCase& c = GetParam();
  const ScalarValue got = resolve_plain_scalar(c.text);
  EXPECT_TRUE(same(got, c.expected))
      << "got " << describe(got) << ", expected " << describe(c.expected);
}

const double kInf = std::numeric_limits<double>::infinity();
const std::string kDigits200k(200000, '7');
// 1:59:59:...: its value overflows int64 (the old cast was undefined behaviour).
const std::string kSexagesimal20k = [] {
  std::string s = "1";
  for (int i = 0; i < 20000; ++i) s += ":59";
  return s;
}();

INSTANTIATE_TEST_SUITE_P(
    Scalars, HostileYamlScalar,
    testing::Values(ScalarCase{"binary_without_digits", "0b_", std::string("0b_")},
                    ScalarCase{"hex_without_digits", "-0x__", std::string("-0x__")},
                    ScalarCase{"exponent_without_mantissa", ".e5", std::string(".e5")},
                    ScalarCase{"float_overflow_is_inf", "1e999", kInf},
                    ScalarCase{"negative_float_overflow", "-2.5e99999", -kInf},
                    ScalarCase{"int64_min", "-9223372036854775808",
                               std::numeric_limits<int64_t>::min()},
                    ScalarCase{"int64_overflow_stays_string", "9223372036854775808",
                               std::string("9223372036854775808")},
                    ScalarCase{"hex_overflow_stays_string", "0x1ffffffffffffffff",
                               std::string("0x1ffffffffffffffff")},
                    ScalarCase{"long_digit_run_stays_string", kDigits200k, kDigits200k},
                    ScalarCase{"long_float_is_inf", kDigits200k + ".5", kInf},
                    ScalarCase{"long_sexagesimal_stays_string", kSexagesimal20k, kSexagesimal20k},
                    ScalarCase{"sexagesimal_still_works", "1:30:05", int64_t{5405}},
                    ScalarCase{"octal_with_underscores", "0_17", int64_t{15}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg::config
