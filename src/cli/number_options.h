#pragma once
// Numeric command-line options. Every one is parsed by core/parse_number: the whole value, as
// the right kind of number, inside its range, or an fg::Error naming the flag, the value and the
// range ("[--max-steps] expected an integer >= -1, found '-5'"). CLI11's own conversions are
// not used for numbers: they truncate "2.5" and let out-of-range text through to std::stoll.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/parse_number.h"

namespace fg::cli {

// An integer option in [min, max], stored in `dest` (whose value is shown as the default).
CLI::Option* add_int_option(CLI::App& app, const std::string& names, int64_t& dest,
                            const std::string& help, int64_t min, int64_t max = kInt64Max);
// The same for an unsigned destination (seeds), in [min, max].
CLI::Option* add_uint_option(CLI::App& app, const std::string& names, uint64_t& dest,
                             const std::string& help, int64_t min = 0, int64_t max = kInt64Max);
// A finite real option in [min, max].
CLI::Option* add_real_option(CLI::App& app, const std::string& names, double& dest,
                             const std::string& help, double min, double max = kDoubleMax);
CLI::Option* add_real_option(CLI::App& app, const std::string& names, float& dest,
                             const std::string& help, double min, double max);

// The flag's long name from CLI11 names ("-d,--devices" -> "--devices").
std::string flag_name(const std::string& names);

}  // namespace fg::cli
