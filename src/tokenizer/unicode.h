#pragma once
// UTF-8 validation and NFC normalisation (ICU). The tokenizer contract is
// decode(encode(x)) == nfc(x), so every text is normalised the same way before encoding.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fg::tokenizer {

// Byte offset of the first byte that is not part of a well-formed UTF-8 sequence
// (overlongs, surrogates and code points above U+10FFFF are invalid); nullopt when valid.
std::optional<int64_t> find_invalid_utf8(std::string_view text);

// Throws fg::Error naming `what` (e.g. a file name) and the byte offset when `text` is not UTF-8.
void check_utf8(std::string_view text, std::string_view what);

bool is_ascii(std::string_view text);

// Unicode Normalization Form C. ASCII text is returned unchanged without calling ICU.
std::string nfc(std::string_view text);

}  // namespace fg::tokenizer
