#include "report/text_table.h"

#include <algorithm>

namespace fg::report {
namespace {

std::string clean_cell(const std::string& cell) {
  std::string out = cell;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

std::string pad(const std::string& text, int64_t width, bool right) {
  const int64_t fill = std::max<int64_t>(0, width - display_width(text));
  const std::string spaces(static_cast<size_t>(fill), ' ');
  return right ? spaces + text : text + spaces;
}

}  // namespace

int64_t display_width(const std::string& text) {
  int64_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string render_text_table(const TextTable& table) {
  const size_t cols = table.headers.size();
  std::vector<std::vector<std::string>> cells;
  cells.push_back(table.headers);
  for (const auto& row : table.rows) {
    std::vector<std::string> r(cols);
    for (size_t c = 0; c < cols && c < row.size(); ++c) r[c] = row[c];
    cells.push_back(std::move(r));
  }
  std::vector<int64_t> width(cols, 0);
  for (auto& row : cells)
    for (size_t c = 0; c < cols; ++c) {
      row[c] = clean_cell(row[c]);
      width[c] = std::max(width[c], display_width(row[c]));
    }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t c = 0; c < cols; ++c) {
      const bool right = c < table.right_align.size() && table.right_align[c];
      std::string cell = pad(row[c], width[c], right);
      if (c + 1 == cols && !right) cell.erase(cell.find_last_not_of(' ') + 1);
      out += (c ? "  " : "") + cell;
    }
    return out + "\n";
  };
  std::string out = line(cells[0]);
  std::vector<std::string> rule(cols);
  for (size_t c = 0; c < cols; ++c) rule[c] = std::string(static_cast<size_t>(width[c]), '-');
  out += line(rule);
  for (size_t r = 1; r < cells.size(); ++r) out += line(cells[r]);
  return out;
}

}  // namespace fg::report
