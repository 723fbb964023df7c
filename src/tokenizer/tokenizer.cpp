#include "tokenizer/tokenizer.h"

#include "core/check.h"
#include "tokenizer/byte_tokenizer.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "tokenizer/unicode.h"

namespace fg::tokenizer {

Tokenizer::Tokenizer(TokenizerConfig config) : config_(std::move(config)) {
  config_.special_tokens.validate();
}

std::vector<int32_t> Tokenizer::encode(std::string_view text) const {
  return encode(text, EncodeOptions{config_.add_bos_token, config_.add_eos_token});
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  check_utf8(text, "tokenizer input");
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 2);
  if (options.add_bos) ids.push_back(bos_id());
  if (is_ascii(text)) {
    encode_normalized(text, ids);  // ASCII is already NFC: skip the copy
  } else {
    encode_normalized(nfc(text), ids);
  }
  if (options.add_eos) ids.push_back(eos_id());
  return ids;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, const DecodeOptions& options) const {
  const int64_t vocab = vocab_size();
  for (int32_t id : ids)
    FG_CHECK(id >= 0 && id < vocab, "[Tokenizer] decode: expected ids in [0, {}), got {}", vocab,
             id);
  // Split at special ids so the backend only sees ordinary pieces.
  std::string out;
  size_t run = 0;
  for (size_t i = 0; i <= ids.size(); ++i) {
    if (i < ids.size() && !special_tokens().is_special(ids[i])) continue;
    if (i > run) out += decode_pieces(ids.subspan(run, i - run));
    if (i < ids.size() && !options.skip_special_tokens) out += special_tokens().text_of(ids[i]);
    run = i + 1;
  }
  return out;
}

std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& dir) {
  TokenizerConfig config = read_tokenizer_config(dir);
  if (config.kind == kKindByte) return std::make_unique<ByteTokenizer>(config);
  if (config.kind == kKindSentencePiece) return SentencePieceTokenizer::load(dir, config);
  throw IoError(fmt::format("[Tokenizer] {}: expected tokenizer kind '{}' or '{}', found '{}'",
                            (dir / kConfigFileName).string(), kKindSentencePiece, kKindByte,
                            config.kind));
}

}  // namespace fg::tokenizer
