#pragma once
// Escaping for text placed in HTML or SVG (element content and quoted attribute values).
#include <string>

namespace fg::report {

// & < > " ' become entities; other control characters than \n and \t are dropped, and invalid
// UTF-8 bytes become U+FFFD, so the output is always well-formed.
std::string html_escape(const std::string& text);

}  // namespace fg::report
