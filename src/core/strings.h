#pragma once
// String helpers shared by every area: "did you mean" suggestions, joining, trimming.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fg {

// Levenshtein distance (insert, delete, substitute each cost 1).
int64_t edit_distance(std::string_view a, std::string_view b);

// Up to `limit` candidates closest to `name`, nearest first. A candidate qualifies when its
// distance is at most max(2, |name|/3) or when one contains the other (case-insensitive).
std::vector<std::string> near_matches(std::string_view name,
                                      const std::vector<std::string>& candidates, size_t limit = 3);

// " (did you mean 'a', 'b'?)" or "" when there is nothing near.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string to_lower(std::string_view s);

}  // namespace fg
