#pragma once
// The Forgather line preprocessor (spec-config-cli §3.2-3.4). It maps each input line to exactly
// one output line in preserve mode, so Jinja line numbers refer to the original file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fg::config {

enum class CommentMode {
  kPreserve,  // "## x" full-line comments become "{#  x #}" (canonical; keeps line numbers)
  kDelete,    // full-line comments are dropped (pp/graph without --debug)
};

// Line forms (`--`, `<<`, `>>`, `==`, `=>`), `##` comments, then `[block]` headers.
std::string preprocess(std::string_view source, CommentMode mode = CommentMode::kPreserve);

// Just the TOML-style `[name]` / `[name!]` block conversion (§3.3), over already-split lines.
std::vector<std::string> convert_block_headers(std::vector<std::string> lines);

// Splits on \r\n, \n or \r; a trailing newline yields a final empty line (as Python re.split).
std::vector<std::string> split_lines(std::string_view text);

// One chunk of a file split on `#---- name ----` marker lines (§3.4).
struct SplitDocument {
  std::string name;        // "" for the file's own (first) template
  std::string text;        // raw, not yet preprocessed
  int64_t first_line = 1;  // line of text's first line in the file
};
std::vector<SplitDocument> split_documents(std::string_view file_text);

}  // namespace fg::config
