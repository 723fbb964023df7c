#pragma once
// UTF-8 helpers: Python strings index and slice by code point, and upper/lower map letters
// beyond ASCII (Latin-1, Latin Extended-A, Greek, Cyrillic).
#include <cstdint>
#include <string>
#include <vector>

namespace fg::config::jinja::utf8 {

bool is_ascii(const std::string& s);
std::vector<uint32_t> decode(const std::string& s);
// The number of code points decode() returns (malformed bytes count as decode reads them).
int64_t length(const std::string& s);
std::string encode(const std::vector<uint32_t>& cps);
void append(std::string& out, uint32_t cp);
uint32_t to_upper(uint32_t cp);
uint32_t to_lower(uint32_t cp);
std::string upper(const std::string& s);
std::string lower(const std::string& s);
bool is_alpha(uint32_t cp);

}  // namespace fg::config::jinja::utf8
