#pragma once
// The byte-level pieces of a Hugging Face ByteLevel tokenizer: GPT-2's byte <-> code point
// alphabet, its pre-tokenizer split, and lossy UTF-8 decoding (what `tokenizers` does to bytes
// that are not UTF-8 when it decodes).
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace fg::tokenizer::byte_level {

// The UTF-8 text of the code point that stands for each byte: printable Latin-1 bytes stand for
// themselves, the other 68 take U+0100.. in byte order.
const std::array<std::string, 256>& byte_symbols();

// Appends the byte-level symbols of every byte of `bytes` to `out`.
void append_symbols(std::string_view bytes, std::string& out);

// Appends the bytes `symbols` (valid UTF-8) stand for; false, leaving `out` as it was, when a
// character is not in the alphabet.
bool append_bytes(std::string_view symbols, std::string& out);

// The GPT-2 pre-tokenizer split of valid UTF-8 `text`, as the regular expression
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// matches it; `piece` receives each match in order (together they cover the text).
void gpt2_split(std::string_view text, const std::function<void(std::string_view)>& piece);

// `bytes` as UTF-8, each maximal ill-formed subsequence replaced by U+FFFD.
std::string utf8_lossy(std::string_view bytes);

}  // namespace fg::tokenizer::byte_level
