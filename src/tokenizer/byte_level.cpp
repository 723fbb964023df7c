#include "tokenizer/byte_level.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <unordered_map>

namespace fg::tokenizer::byte_level {

namespace {

std::string utf8_of(UChar32 c) {
  char buf[4];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);  // c is a valid code point below U+0200
  return std::string(buf, static_cast<size_t>(n));
}

bool stands_for_itself(int b) {
  return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

const std::unordered_map<UChar32, uint8_t>& symbol_bytes() {
  static const std::unordered_map<UChar32, uint8_t> table = [] {
    std::unordered_map<UChar32, uint8_t> out;
    UChar32 next = 256;
    for (int b = 0; b < 256; ++b) out[stands_for_itself(b) ? b : next++] = static_cast<uint8_t>(b);
    return out;
  }();
  return table;
}

// The three character classes of the split; whitespace is Unicode White_Space, which equals the
// regex engines' \s (the Z separators plus U+0009..U+000D and U+0085).
enum class Class { kLetter, kNumber, kSpace, kOther };

Class class_of(UChar32 c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Class::kLetter;
    if (c >= '0' && c <= '9') return Class::kNumber;
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return Class::kSpace;
    return Class::kOther;
  }
  const uint32_t mask = U_GET_GC_MASK(c);
  if (mask & U_GC_L_MASK) return Class::kLetter;
  if (mask & U_GC_N_MASK) return Class::kNumber;
  if (u_isUWhiteSpace(c)) return Class::kSpace;
  return Class::kOther;
}

struct Cursor {
  const uint8_t* s;
  int32_t n;

  // The code point at byte `i` and the offset after it.
  UChar32 at(int32_t i, int32_t& next) const {
    UChar32 c = 0;
    next = i;
    U8_NEXT(s, next, n, c);
    return c;
  }
  // The end of the run of characters of class `k` that starts at `i`.
  int32_t run_end(int32_t i, Class k) const {
    while (i < n) {
      int32_t next = 0;
      if (class_of(at(i, next)) != k) break;
      i = next;
    }
    return i;
  }
};

// The length of a contraction ('s 't 're 've 'm 'll 'd) at `i`, or 0.
int32_t contraction(std::string_view text, size_t i) {
  if (text[i] != '\'' || i + 1 >= text.size()) return 0;
  const char a = text[i + 1];
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (i + 2 >= text.size()) return 0;
  const char b = text[i + 2];
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

// The end of the match at `i` (i < n).
int32_t match_end(std::string_view text, const Cursor& cur, int32_t i) {
  if (int32_t len = contraction(text, static_cast<size_t>(i))) return i + len;
  int32_t next = 0;
  const UChar32 c = cur.at(i, next);
  Class k = class_of(c);
  // " ?X+": a single ASCII space joins the run of letters, numbers or other symbols after it.
  if (c == ' ' && next < cur.n) {
    int32_t after = 0;
    const Class following = class_of(cur.at(next, after));
    if (following != Class::kSpace) return cur.run_end(next, following);
  }
  if (k != Class::kSpace) return cur.run_end(i, k);
  // "\s+(?!\S)|\s+": a run of whitespace gives up its last character to the word after it.
  int32_t last = i, end = next;
  while (end < cur.n) {
    int32_t after = 0;
    if (class_of(cur.at(end, after)) != Class::kSpace) break;
    last = end;
    end = after;
  }
  if (end == cur.n || last == i) return end;
  return last;
}

}  // namespace

const std::array<std::string, 256>& byte_symbols() {
  static const std::array<std::string, 256> table = [] {
    std::array<std::string, 256> out;
    UChar32 next = 256;
    for (int b = 0; b < 256; ++b) out[b] = utf8_of(stands_for_itself(b) ? b : next++);
    return out;
  }();
  return table;
}

void append_symbols(std::string_view bytes, std::string& out) {
  const auto& symbols = byte_symbols();
  for (char b : bytes) out += symbols[static_cast<uint8_t>(b)];
}

bool append_bytes(std::string_view symbols, std::string& out) {
  const auto& table = symbol_bytes();
  const size_t start = out.size();
  const Cursor cur{reinterpret_cast<const uint8_t*>(symbols.data()),
                   static_cast<int32_t>(symbols.size())};
  for (int32_t i = 0; i < cur.n;) {
    auto found = table.find(cur.at(i, i));
    if (found == table.end()) {
      out.resize(start);
      return false;
    }
    out.push_back(static_cast<char>(found->second));
  }
  return true;
}

void gpt2_split(std::string_view text, const std::function<void(std::string_view)>& piece) {
  const Cursor cur{reinterpret_cast<const uint8_t*>(text.data()),
                   static_cast<int32_t>(text.size())};
  for (int32_t i = 0; i < cur.n;) {
    const int32_t end = match_end(text, cur, i);
    piece(text.substr(static_cast<size_t>(i), static_cast<size_t>(end - i)));
    i = end;
  }
}

std::string utf8_lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c = 0;
    // U8_NEXT consumes exactly one maximal ill-formed subsequence when it returns a negative c.
    U8_NEXT(s, i, n, c);
    if (c < 0)
      out += "\xEF\xBF\xBD";
    else
      out.append(bytes.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
  }
  return out;
}

}  // namespace fg::tokenizer::byte_level
