#include "config/preprocessor.h"

#include <algorithm>
#include <cctype>

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

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// `^(\s*)\[(\w+)(!)*\]\s*$` by hand: std::regex recurses per character and a long line
// would overflow the stack.
bool block_header(const std::string& line, OpenBlock* out) {
  size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  const size_t indent = i;
  if (i >= line.size() || line[i] != '[') return false;
  const size_t name_start = ++i;
  while (i < line.size() && is_word(line[i])) ++i;
  if (i == name_start) return false;
  const size_t name_end = i;
  bool trim = false;
  while (i < line.size() && line[i] == '!') {
    trim = true;
    ++i;
  }
  if (i >= line.size() || line[i] != ']') return false;
  ++i;
  while (i < line.size() && is_space(line[i])) ++i;
  if (i != line.size()) return false;
  *out = {line.substr(name_start, name_end - name_start), static_cast<int64_t>(indent), trim};
  return true;
}

// `\n#\s*-{3,}\s*([\w./]+)\s*-{3,}\n` matched at text[p] (a '\n'); returns the end of the
// match (after its final '\n') and the name, or 0.
size_t split_marker(const std::string& text, size_t p, std::string* name) {
  size_t i = p + 1;
  if (i >= text.size() || text[i] != '#') return 0;
  ++i;
  auto spaces = [&] {
    while (i < text.size() && is_space(text[i])) ++i;
  };
  auto dashes = [&] {
    const size_t b = i;
    while (i < text.size() && text[i] == '-') ++i;
    return i - b >= 3;
  };
  spaces();
  if (!dashes()) return 0;
  spaces();
  const size_t b = i;
  while (i < text.size() && (is_word(text[i]) || text[i] == '.' || text[i] == '/')) ++i;
  if (i == b) return 0;
  *name = text.substr(b, i - b);
  spaces();
  if (!dashes()) return 0;
  if (i >= text.size() || text[i] != '\n') return 0;
  return i + 1;
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
  std::vector<std::string> out;
  out.reserve(lines.size());
  std::vector<OpenBlock> stack;
  OpenBlock b;
  for (auto& line : lines) {
    if (line.find('[') == std::string::npos || !block_header(line, &b)) {
      out.push_back(std::move(line));
      continue;
    }
    const int64_t indent = b.indent;
    while (!stack.empty() && stack.back().indent >= indent) {
      close_block(out, stack.back());
      stack.pop_back();
    }
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
  std::vector<SplitDocument> docs;
  const std::string text(file_text);
  size_t begin = 0;
  std::string name, next_name;
  int64_t line = 1;
  for (size_t p = text.find("\n#", begin); p != std::string::npos; p = text.find("\n#", p + 1)) {
    const size_t end = split_marker(text, p, &next_name);
    if (!end) continue;
    docs.push_back({name, text.substr(begin, p - begin), line});
    line += std::count(text.begin() + static_cast<std::ptrdiff_t>(begin),
                       text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
    name = next_name;
    begin = end;
    p = end - 1;  // the search resumes after the match, as regex_search did
  }
  docs.push_back({name, text.substr(begin), line});
  return docs;
}

}  // namespace fg::config
