#pragma once
// Lexer: turns template source into data and tag tokens, applying Jinja2's whitespace rules
// (trim_blocks after %} and #}, `-` stripping, `+` to keep, keep_trailing_newline).
#include <cstdint>
#include <string>
#include <vector>

namespace fg::config::jinja {

enum class Tok { Data, VarBegin, VarEnd, BlockBegin, BlockEnd, Name, String, Int, Float, Op, Eof };

struct Token {
  Tok type;
  std::string text;  // data text, name, decoded string, number text, or operator
  int64_t line;
};

struct LexOptions {
  bool trim_blocks = true;
  bool lstrip_blocks = false;
  bool keep_trailing_newline = false;
  int64_t max_depth = 256;  // Limits::max_template_depth: open brackets, nested statements
};

// Throws TemplateError (message only; line in `error_line`) on malformed input.
std::vector<Token> tokenize(const std::string& source, const LexOptions& opts);

// Jinja-style name of a token for "unexpected ..." messages ("end of template", "'}}'", ...).
std::string describe_token(const Token& t);

}  // namespace fg::config::jinja
