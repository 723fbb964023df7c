#pragma once
// A plain-text table with aligned columns, for terminals:
//   Run      Params  Steps
//   -------  ------  -----
//   alibi     9.1M    1000
#include <string>
#include <vector>

namespace fg::report {

struct TextTable {
  std::vector<std::string> headers;
  std::vector<bool> right_align;  // per column; missing entries mean left-aligned
  std::vector<std::vector<std::string>> rows;
};

// Columns as wide as their widest cell (UTF-8 counted by code point); control characters in
// cells become spaces so a hostile run name cannot break the layout. Rows shorter than the
// header are padded with empty cells.
std::string render_text_table(const TextTable& table);

// Number of code points in a UTF-8 string (the width a terminal gives most text).
int64_t display_width(const std::string& text);

}  // namespace fg::report
