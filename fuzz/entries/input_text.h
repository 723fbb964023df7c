#pragma once
// Fuzz bytes as text, and split into parts at a marker line.
#include <string>
#include <string_view>
#include <utility>

#include "entries/fuzz_entry.h"

namespace fg::fuzz {

inline std::string_view as_text(FuzzInput data) {
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

// (before, after) the first `marker`; (text, "") when it is absent.
inline std::pair<std::string_view, std::string_view> split_at(std::string_view text,
                                                              std::string_view marker) {
  const size_t at = text.find(marker);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + marker.size())};
}

}  // namespace fg::fuzz
