#pragma once
// How `forgather compare` writes numbers: parameter counts as "9.1M", losses with 4 decimals,
// rates with thousands separators, durations as "3m25s". Absent or non-finite values are "-".
#include <cstdint>
#include <optional>
#include <string>

namespace fg::report {

std::string format_count(std::optional<int64_t> n);                       // 950, 12.3K, 9.1M, 1.20B
std::string format_loss(std::optional<double> v);                         // 2.3456
std::string format_rate(std::optional<double> v);                         // 12,345
std::string format_duration(std::optional<double> seconds);               // 12.3s, 3m25s, 1h02m
std::string format_perplexity(double v);                                  // 7.39, 1100.00, inf
std::string format_number(std::optional<double> v, int significant = 4);  // 0.0003, 1.25e+04

}  // namespace fg::report
