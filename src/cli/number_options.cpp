#include "cli/number_options.h"

#include <fmt/format.h>

#include <limits>

namespace fg::cli {

std::string flag_name(const std::string& names) {
  std::string best;
  size_t start = 0;
  while (start <= names.size()) {
    const size_t comma = std::min(names.find(',', start), names.size());
    const std::string name = names.substr(start, comma - start);
    if (best.empty() || name.size() > best.size()) best = name;
    start = comma + 1;
  }
  return best;
}

CLI::Option* add_int_option(CLI::App& app, const std::string& names, int64_t& dest,
                            const std::string& help, int64_t min, int64_t max) {
  const std::string flag = flag_name(names);
  auto* opt = app.add_option_function<std::string>(
      names,
      [&dest, flag, min, max](const std::string& text) { dest = parse_int(text, flag, min, max); },
      help);
  return opt->default_str(std::to_string(dest))->type_name("INT");
}

CLI::Option* add_uint_option(CLI::App& app, const std::string& names, uint64_t& dest,
                             const std::string& help, int64_t min, int64_t max) {
  const std::string flag = flag_name(names);
  auto* opt = app.add_option_function<std::string>(
      names,
      [&dest, flag, min, max](const std::string& text) {
        dest = static_cast<uint64_t>(parse_int(text, flag, std::max<int64_t>(min, 0), max));
      },
      help);
  return opt->default_str(std::to_string(dest))->type_name("UINT");
}

CLI::Option* add_real_option(CLI::App& app, const std::string& names, double& dest,
                             const std::string& help, double min, double max) {
  const std::string flag = flag_name(names);
  auto* opt = app.add_option_function<std::string>(
      names,
      [&dest, flag, min, max](const std::string& text) {
        dest = parse_double(text, flag, min, max);
      },
      help);
  return opt->default_str(fmt::format("{}", dest))->type_name("FLOAT");
}

CLI::Option* add_real_option(CLI::App& app, const std::string& names, float& dest,
                             const std::string& help, double min, double max) {
  // A float option's range must lie within float's, so the narrowing below cannot overflow.
  const double limit = std::numeric_limits<float>::max();
  const double lo = std::max(min, -limit), hi = std::min(max, limit);
  const std::string flag = flag_name(names);
  auto* opt = app.add_option_function<std::string>(
      names,
      [&dest, flag, lo, hi](const std::string& text) {
        dest = static_cast<float>(parse_double(text, flag, lo, hi));
      },
      help);
  return opt->default_str(fmt::format("{}", dest))->type_name("FLOAT");
}

}  // namespace fg::cli
