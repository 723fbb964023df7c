#include "config/preprocessor.h"

#include <cctype>
#include <regex>

namespace fg::config {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// `\s*##(.*)` fullmatch: returns the text after `##`, or false.
bool full_line_comment(const std::string& line, std::string* rest) {
  size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  if (line.compare(i, 2, "##") != 0) return false;
  *rest = line.substr(i + 2);
  return true;
}

// `(.*)\s+#{2,}.*` fullmatch with a greedy group: cut at the LAST whitespace-preceded `##`,
// keeping all but one of the whitespace characters before it (as Python's regex does).
void strip_trailing_comment(std::string& line) {
  for (size_t i = line.size(); i-- > 1;) {
    if (line[i] == '#' && i + 1 < line.size() && line[i + 1] == '#' && is_space(line[i - 1])) {
      line.resize(i - 1);
      return;
    }
  }
}

// `\s*(--|<<|>>|==|=>)\s(.*)` fullmatch -> the Jinja replacement for the whole line.
bool line_statement(const std::string& line, std::string* out) {
  size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  if (i + 3 > line.size() || !is_space(line[i + 2])) return false;
  const std::string marker = line.substr(i, 2);
  const std::string x = line.substr(i + 3);
  if (marker == "--") {
    *out = "{% " + x + " %}";
  } else if (marker == "<<") {
    *out = "{%- " + x + " %}";
  } else if (marker == ">>") {
    *out = "{% " + x + " -%}";
  } else if (marker == "==") {
    *out = "{{ " + x + " }}";
  } else if (marker == "=>") {
    *out = "{{ " + x + "|trim('\\n') }}";
  } else {
    return false;
  }
  return true;
}

struct OpenBlock {
  std::string name;
  int64_t indent;
  bool trim;
};

void close_block(std::vector<std::string>& out, const OpenBlock& b) {
  if (out.empty()) out.emplace_back();
  std::string& last = out.back();
  if (!last.empty()) last += "{{'\\n'}}";
  last += "{% endblock " + b.name + " +%}";
  if (b.trim) last += "{% endfilter %}";
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      lines.push_back(std::move(cur));
      cur.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      cur += c;
    }
  }
  lines.push_back(std::move(cur));
  return lines;
}

std::vector<std::string> convert_block_headers(std::vector<std::string> lines) {
  static const std::regex header(R"(^(\s*)\[(\w+)(!)*\]\s*$)");
  std::vector<std::string> out;
  out.reserve(lines.size());
  std::vector<OpenBlock> stack;
  std::smatch m;
  for (auto& line : lines) {
    if (line.find('[') == std::string::npos || !std::regex_match(line, m, header)) {
      out.push_back(std::move(line));
      continue;
    }
    const auto indent = static_cast<int64_t>(m[1].length());
    while (!stack.empty() && stack.back().indent >= indent) {
      close_block(out, stack.back());
      stack.pop_back();
    }
    OpenBlock b{m[2].str(), indent, m[3].matched};
    out.push_back((b.trim ? "{% filter trim %}" : "") + std::string("{% block ") + b.name + " %}");
    stack.push_back(std::move(b));
  }
  while (!stack.empty()) {
    close_block(out, stack.back());
    stack.pop_back();
  }
  return out;
}

std::string preprocess(std::string_view source, CommentMode mode) {
  std::vector<std::string> lines;
  std::string rest;
  for (auto& line : split_lines(source)) {
    if (full_line_comment(line, &rest)) {
      if (mode == CommentMode::kPreserve) lines.push_back("{# " + rest + " #}");
      continue;
    }
    strip_trailing_comment(line);
    std::string replaced;
    if (line_statement(line, &replaced)) line = std::move(replaced);
    lines.push_back(std::move(line));
  }
  lines = convert_block_headers(std::move(lines));
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += lines[i];
  }
  return out;
}

std::vector<SplitDocument> split_documents(std::string_view file_text) {
  static const std::regex marker(R"(\n#\s*-{3,}\s*([\w./]+)\s*-{3,}\n)");
  std::vector<SplitDocument> docs;
  const std::string text(file_text);
  auto begin = text.cbegin();
  std::string name;
  int64_t line = 1;
  std::smatch m;
  while (std::regex_search(begin, text.cend(), m, marker)) {
    const std::string chunk(begin, m[0].first);
    docs.push_back({name, chunk, line});
    line += std::count(begin, m[0].second, '\n');
    name = m[1].str();
    begin = m[0].second;
  }
  docs.push_back({name, std::string(begin, text.cend()), line});
  return docs;
}

}  // namespace fg::config
