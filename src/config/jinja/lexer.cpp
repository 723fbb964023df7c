#include "config/jinja/lexer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "config/jinja/error.h"
#include "config/jinja/limits.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {

[[noreturn]] void lex_fail(const std::string& msg, int64_t line) {
  throw TemplateError(msg, SourceLocation{"", line, 0});
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string normalize(const std::string& src, bool keep_trailing_newline) {
  std::string out;
  out.reserve(src.size());
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i] == '\r') {
      out += '\n';
      if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
    } else {
      out += src[i];
    }
  }
  if (!keep_trailing_newline && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class Lexer {
 public:
  Lexer(const std::string& src, const LexOptions& o) : s_(src), opts_(o) {}

  std::vector<Token> run() {
    while (pos_ < s_.size()) {
      size_t tag = find_tag(pos_);
      std::string data = s_.substr(pos_, tag - pos_);
      if (tag == s_.size()) {
        emit_data(data, line_);
        break;
      }
      char kind = s_[tag + 1];
      char mod = tag + 2 < s_.size() ? s_[tag + 2] : '\0';
      int64_t data_line = line_;
      line_ += count_nl(data);
      if (mod == '-') {
        size_t end = data.find_last_not_of(" \t\n\r\f\v");
        data = end == std::string::npos ? "" : data.substr(0, end + 1);
      } else if (mod != '+' && opts_.lstrip_blocks && kind != '{') {
        lstrip_line(data, pos_);
      }
      emit_data(data, data_line);
      pos_ = tag + 2 + ((mod == '-' || mod == '+') ? 1 : 0);
      if (kind == '#') {
        lex_comment();
      } else if (kind == '%' && try_raw()) {
        continue;
      } else {
        lex_tag(kind == '%');
      }
    }
    tokens_.push_back({Tok::Eof, "", line_});
    return std::move(tokens_);
  }

 private:
  static int64_t count_nl(const std::string& t) {
    int64_t n = 0;
    for (char c : t) n += c == '\n';
    return n;
  }

  size_t find_tag(size_t from) const {
    for (size_t i = from; i + 1 < s_.size(); ++i) {
      if (s_[i] == '{' && (s_[i + 1] == '{' || s_[i + 1] == '%' || s_[i + 1] == '#')) return i;
    }
    return s_.size();
  }

  void emit_data(const std::string& d, int64_t line) {
    if (!d.empty()) tokens_.push_back({Tok::Data, d, line});
  }

  // lstrip_blocks: drop spaces/tabs between the start of the line and a block tag.
  void lstrip_line(std::string& data, size_t data_start) {
    size_t nl = data.rfind('\n');
    size_t start = nl == std::string::npos ? 0 : nl + 1;
    bool line_starting = data_start == 0 || s_[data_start - 1] == '\n';
    if (nl == std::string::npos && !line_starting) return;
    for (size_t i = start; i < data.size(); ++i)
      if (data[i] != ' ' && data[i] != '\t') return;
    data.resize(start);
  }

  // After an end delimiter: `-` strips all following whitespace, trim_blocks eats one newline.
  void after_end(char mod, bool trim) {
    if (mod == '-') {
      while (pos_ < s_.size() && is_space(s_[pos_])) {
        line_ += s_[pos_] == '\n';
        ++pos_;
      }
    } else if (mod != '+' && trim && opts_.trim_blocks && pos_ < s_.size() && s_[pos_] == '\n') {
      ++line_;
      ++pos_;
    }
  }

  void lex_comment() {
    size_t end = s_.find("#}", pos_);
    if (end == std::string::npos) lex_fail("Missing end of comment tag", line_);
    char mod = end > pos_ ? s_[end - 1] : '\0';
    line_ += count_nl(s_.substr(pos_, end - pos_));
    pos_ = end + 2;
    after_end(mod, true);
  }

  // `{% raw %}...{% endraw %}`: verbatim data.
  bool try_raw() {
    size_t p = pos_;
    while (p < s_.size() && is_space(s_[p])) ++p;
    if (s_.compare(p, 3, "raw") != 0) return false;
    p += 3;
    while (p < s_.size() && is_space(s_[p])) ++p;
    char mod = '\0';
    if (p < s_.size() && (s_[p] == '-' || s_[p] == '+')) mod = s_[p++];
    if (s_.compare(p, 2, "%}") != 0) return false;
    line_ += count_nl(s_.substr(pos_, p - pos_));
    pos_ = p + 2;
    if (mod == '-') after_end('-', false);
    size_t search = pos_;
    while (true) {
      size_t b = s_.find("{%", search);
      if (b == std::string::npos) lex_fail("Missing end of raw directive", line_);
      size_t q = b + 2;
      char lmod = (q < s_.size() && (s_[q] == '-' || s_[q] == '+')) ? s_[q++] : '\0';
      while (q < s_.size() && is_space(s_[q])) ++q;
      if (s_.compare(q, 6, "endraw") != 0) {
        search = b + 2;
        continue;
      }
      q += 6;
      while (q < s_.size() && is_space(s_[q])) ++q;
      char rmod = (q < s_.size() && (s_[q] == '-' || s_[q] == '+')) ? s_[q++] : '\0';
      if (s_.compare(q, 2, "%}") != 0) lex_fail("Missing end of raw directive", line_);
      std::string data = s_.substr(pos_, b - pos_);
      int64_t dline = line_;
      line_ += count_nl(s_.substr(pos_, q + 2 - pos_));
      if (lmod == '-') {
        size_t e = data.find_last_not_of(" \t\n\r\f\v");
        data = e == std::string::npos ? "" : data.substr(0, e + 1);
      }
      emit_data(data, dline);
      pos_ = q + 2;
      after_end(rmod, true);
      return true;
    }
  }

  void lex_tag(bool block) {
    tokens_.push_back({block ? Tok::BlockBegin : Tok::VarBegin, "", line_});
    std::vector<char> balance;
    while (true) {
      while (pos_ < s_.size() && is_space(s_[pos_])) {
        line_ += s_[pos_] == '\n';
        ++pos_;
      }
      if (pos_ >= s_.size()) return;  // the parser reports the missing end delimiter
      if (balance.empty() && try_end(block)) return;
      lex_operand(balance);
    }
  }

  bool try_end(bool block) {
    const char* end = block ? "%}" : "}}";
    char mod = '\0';
    size_t p = pos_;
    if (s_[p] == '-' || (block && s_[p] == '+')) {
      if (s_.compare(p + 1, 2, end) != 0) return false;
      mod = s_[p];
      ++p;
    } else if (s_.compare(p, 2, end) != 0) {
      return false;
    }
    tokens_.push_back({block ? Tok::BlockEnd : Tok::VarEnd, "", line_});
    pos_ = p + 2;
    after_end(mod, block);
    return true;
  }

  void lex_operand(std::vector<char>& balance) {
    char c = s_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t b = pos_;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
      tokens_.push_back({Tok::Name, s_.substr(b, pos_ - b), line_});
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      lex_number();
    } else if (c == '\'' || c == '"') {
      lex_string(c);
    } else {
      lex_operator(balance);
    }
  }

  void lex_number() {
    size_t b = pos_;
    if (s_[pos_] == '0' && pos_ + 2 < s_.size() && std::strchr("xXoObB", s_[pos_ + 1]) != nullptr) {
      int base = std::strchr("xX", s_[pos_ + 1]) ? 16 : std::strchr("oO", s_[pos_ + 1]) ? 8 : 2;
      pos_ += 2;
      std::string digits;
      while (pos_ < s_.size() &&
             (std::isxdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
        if (s_[pos_] != '_') digits += s_[pos_];
        ++pos_;
      }
      int64_t value = 0;
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        lex_fail("invalid or out-of-range integer literal '" + s_.substr(b, pos_ - b) +
                     "' (integers are 64-bit)",
                 line_);
      tokens_.push_back({Tok::Int, std::to_string(value), line_});
      return;
    }
    auto digits = [&] {
      while (pos_ < s_.size() &&
             (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
    };
    digits();
    bool is_float = false;
    if (pos_ + 1 < s_.size() && s_[pos_] == '.' &&
        std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])) && !(b > 0 && s_[b - 1] == '.')) {
      is_float = true;
      ++pos_;
      digits();
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      size_t q = pos_ + 1;
      if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
      if (q < s_.size() && std::isdigit(static_cast<unsigned char>(s_[q]))) {
        is_float = true;
        pos_ = q;
        digits();
      }
    }
    std::string text;
    for (size_t i = b; i < pos_; ++i)
      if (s_[i] != '_') text += s_[i];
    tokens_.push_back({is_float ? Tok::Float : Tok::Int, text, line_});
  }

  void lex_string(char q) {
    int64_t start_line = line_;
    std::string out;
    ++pos_;
    while (true) {
      if (pos_ >= s_.size())
        lex_fail("unexpected char '" + std::string(1, q) + "' at " + std::to_string(pos_),
                 start_line);
      char c = s_[pos_++];
      if (c == q) break;
      if (c == '\n') ++line_;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) continue;
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case 'a':
          out += '\a';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case '\\':
          out += '\\';
          break;
        case '\'':
          out += '\'';
          break;
        case '"':
          out += '"';
          break;
        case '\n':
          ++line_;
          break;
        case 'x':
        case 'u':
        case 'U': {
          const size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          const bool whole = pos_ + n <= s_.size();
          const auto [end, ec] =
              std::from_chars(s_.data() + pos_, s_.data() + std::min(pos_ + n, s_.size()), cp, 16);
          if (!whole || ec != std::errc() || end != s_.data() + pos_ + n || cp > 0x10FFFF)
            lex_fail(std::string("invalid \\") + e + " escape in a string: expected " +
                         std::to_string(n) + " hex digits of a Unicode code point",
                     line_);
          pos_ += n;
          utf8::append(out, cp);
          break;
        }
        default:
          out += '\\';
          out += e;
      }
    }
    tokens_.push_back({Tok::String, out, start_line});
  }

  void lex_operator(std::vector<char>& balance) {
    static const char* kOps[] = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/",
                                 "*",  "%",  "~",  "[",  "]",  "(",  ")", "{", "}",
                                 ">",  "<",  "=",  ".",  ":",  "|",  ",", ";"};
    for (const char* op : kOps) {
      size_t n = std::strlen(op);
      if (s_.compare(pos_, n, op) != 0) continue;
      char c = op[0];
      if (n == 1 && (c == '(' || c == '[' || c == '{')) {
        if (static_cast<int64_t>(balance.size()) >= opts_.max_depth)
          lex_fail("template nesting too deep: more than " + std::to_string(opts_.max_depth) +
                       " open brackets (" + LimitNames::kTemplateDepth + ")",
                   line_);
        balance.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
      } else if (n == 1 && (c == ')' || c == ']' || c == '}')) {
        if (balance.empty()) lex_fail("unexpected '" + std::string(1, c) + "'", line_);
        if (balance.back() != c)
          lex_fail("unexpected '" + std::string(1, c) + "', expected '" +
                       std::string(1, balance.back()) + "'",
                   line_);
        balance.pop_back();
      }
      tokens_.push_back({Tok::Op, op, line_});
      pos_ += n;
      return;
    }
    lex_fail("unexpected char '" + std::string(1, s_[pos_]) + "' at " + std::to_string(pos_),
             line_);
  }

  const std::string& s_;
  LexOptions opts_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> tokenize(const std::string& source, const LexOptions& opts) {
  std::string src = normalize(source, opts.keep_trailing_newline);
  return Lexer(src, opts).run();
}

std::string describe_token(const Token& t) {
  switch (t.type) {
    case Tok::Eof:
      return "end of template";
    case Tok::BlockEnd:
      return "end of statement block";
    case Tok::VarEnd:
      return "end of print statement";
    case Tok::BlockBegin:
      return "begin of statement block";
    case Tok::VarBegin:
      return "begin of print statement";
    case Tok::Data:
      return "template data / text";
    case Tok::Name:
      return t.text;
    case Tok::String:
      return "string";
    case Tok::Int:
      return "integer";
    case Tok::Float:
      return "float";
    case Tok::Op:
      return t.text;
  }
  return t.text;
}

}  // namespace fg::config::jinja
