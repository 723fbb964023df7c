#pragma once
// The one strict parser for numbers written as text (command-line flags, --set values, numbers
// a config gives as strings). The whole text must be one number inside the accepted range:
// "2.5" is not an integer, "1e999" and 20-digit values are out of range, and "nan"/"inf" are
// not accepted. Errors name what was being parsed, the text, and the range.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace fg {

inline constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
inline constexpr double kDoubleMax = std::numeric_limits<double>::max();

// The whole of `text` as an int64 (an optional sign, then decimal digits); nullopt otherwise,
// including when it does not fit.
std::optional<int64_t> try_parse_int(std::string_view text);
// The whole of `text` as a finite double (decimal or scientific notation); nullopt otherwise.
std::optional<double> try_parse_double(std::string_view text);

// As above, but in [min, max] or an Error such as
//   "[--max-steps] expected an integer in [-1, 9223372036854775807], found '2.5'".
// `what` names the flag or key.
int64_t parse_int(std::string_view text, std::string_view what, int64_t min = kInt64Min,
                  int64_t max = kInt64Max);
double parse_double(std::string_view text, std::string_view what, double min = -kDoubleMax,
                    double max = kDoubleMax);

// The messages parse_int / parse_double throw; "" when the text is accepted. For callers that
// report errors their own way (CLI11 validators).
std::string int_problem(std::string_view text, int64_t min, int64_t max);
std::string double_problem(std::string_view text, double min, double max);

// "[1, 9223372036854775807]", "at least 1", ... for messages.
std::string int_range_str(int64_t min, int64_t max);
std::string double_range_str(double min, double max);

}  // namespace fg
