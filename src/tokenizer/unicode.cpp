#include "tokenizer/unicode.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

#include "core/check.h"

namespace fg::tokenizer {

std::optional<int64_t> find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int64_t n = static_cast<int64_t>(text.size());
  int64_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    int64_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, n, c);  // strict: rejects overlongs, surrogates, > U+10FFFF
    if (c < 0) return start;
  }
  return std::nullopt;
}

void check_utf8(std::string_view text, std::string_view what) {
  if (auto bad = find_invalid_utf8(text)) {
    throw Error(
        fmt::format("[UTF-8] {}: expected valid UTF-8 text, found an invalid byte 0x{:02X} "
                    "at byte offset {}",
                    what, static_cast<uint8_t>(text[static_cast<size_t>(*bad)]), *bad));
  }
}

bool is_ascii(std::string_view text) {
  for (char ch : text)
    if (static_cast<uint8_t>(ch) >= 0x80) return false;
  return true;
}

std::string nfc(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* norm = icu::Normalizer2::getNFCInstance(status);
  FG_CHECK(U_SUCCESS(status), "[nfc] could not load the ICU NFC data: {}", u_errorName(status));
  std::string out;
  out.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out);
  norm->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
                      nullptr, status);
  FG_CHECK(U_SUCCESS(status), "[nfc] expected valid UTF-8 input, ICU reported {}",
           u_errorName(status));
  return out;
}

}  // namespace fg::tokenizer
