#include "tokenizer/tokenizer.h"

#include "core/check.h"
#include "core/checked_fs.h"
#include "tokenizer/byte_tokenizer.h"
#include "tokenizer/hf_bpe_tokenizer.h"
#include "tokenizer/hf_tokenizer_import.h"
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
  encode_text(text, ids);
  if (options.add_eos) ids.push_back(eos_id());
  return ids;
}

void Tokenizer::encode_text(std::string_view text, std::vector<int32_t>& out) const {
  if (is_ascii(text)) {
    encode_normalized(text, out);  // ASCII is already NFC: skip the copy
  } else {
    encode_normalized(nfc(text), out);
  }
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
  if (!holds_forgather_config(dir) && exists_checked(dir / kHfTokenizerFileName, "Tokenizer"))
    return import_hf_tokenizer(dir);
  TokenizerConfig config = read_tokenizer_config(dir);
  if (config.kind == kKindByte) return std::make_unique<ByteTokenizer>(config);
  if (config.kind == kKindSentencePiece) return SentencePieceTokenizer::load(dir, config);
  if (config.kind == kKindHfTokenizerJson) return HfBpeTokenizer::load(dir, config);
  throw IoError(
      fmt::format("[Tokenizer] {}: expected tokenizer kind '{}', '{}' or '{}', found '{}'",
                  (dir / kConfigFileName).string(), kKindSentencePiece, kKindByte,
                  kKindHfTokenizerJson, config.kind));
}

bool holds_tokenizer(const std::filesystem::path& dir) {
  return exists_checked(dir / kConfigFileName, "Tokenizer") ||
         exists_checked(dir / kHfTokenizerFileName, "Tokenizer");
}

std::vector<std::string> tokenizer_files(const std::filesystem::path& dir) {
  if (!holds_forgather_config(dir) && exists_checked(dir / kHfTokenizerFileName, "Tokenizer"))
    return hf_import_files(dir);
  const TokenizerConfig config = read_tokenizer_config(dir);
  std::vector<std::string> files = {kConfigFileName};
  if (!config.model_file.empty()) files.push_back(config.model_file);
  return files;
}

}  // namespace fg::tokenizer
