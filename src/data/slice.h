#pragma once
// HF-style split slices: "[:10%]", "[0:500]", "[500:]", "[25%:50%]". Percentages round down.
#include <cstdint>
#include <optional>
#include <string>

namespace fg::data {

struct Slice {
  std::optional<double> start;  // documents or percent, per start_percent
  std::optional<double> end;
  bool start_percent = false;
  bool end_percent = false;

  bool empty() const { return !start && !end; }
  // Resolves to [first, last) within `count` documents (clamped).
  std::pair<int64_t, int64_t> resolve(int64_t count) const;
  // The number of leading documents needed, when known without counting (no percentages).
  std::optional<int64_t> prefix_limit() const;
  std::string to_string() const;
};

// Parses "[a:b]" (either side optional, each an integer or a percentage).
Slice parse_slice(const std::string& text);

// "train[:10%]" -> ("train", slice); a bare "train" has an empty slice.
struct SplitSpec {
  std::string name;
  Slice slice;
};
SplitSpec parse_split_spec(const std::string& text);

}  // namespace fg::data
