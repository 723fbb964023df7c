#include "tokenizer/byte_tokenizer.h"

#include "core/check.h"
#include "core/checked_fs.h"

namespace fg::tokenizer {

ByteTokenizer::ByteTokenizer() : ByteTokenizer(make_config()) {}

ByteTokenizer::ByteTokenizer(TokenizerConfig config) : Tokenizer(std::move(config)) {
  FG_CHECK(this->config().kind == kKindByte, "[ByteTokenizer] expected config kind '{}', got '{}'",
           kKindByte, this->config().kind);
}

TokenizerConfig ByteTokenizer::make_config(int64_t model_max_length) {
  TokenizerConfig c;
  c.kind = kKindByte;
  c.model_file = "";
  c.vocab_size = kVocabSize;
  c.model_max_length = model_max_length;
  return c;
}

std::string ByteTokenizer::id_to_piece(int32_t id) const {
  FG_CHECK(id >= 0 && id < kVocabSize, "[ByteTokenizer] expected an id in [0, {}), got {}",
           kVocabSize, id);
  if (special_tokens().is_special(id)) return special_tokens().text_of(id);
  return fmt::format("<0x{:02X}>", id - kFirstByteId);
}

void ByteTokenizer::save(const std::filesystem::path& dir) const {
  create_directories_checked(dir, "ByteTokenizer", "tokenizer directory");
  write_tokenizer_config(dir, config());
}

std::string ByteTokenizer::fingerprint_material() const {
  const SpecialTokens& s = special_tokens();
  return fmt::format("byte_level:{}={},{}={},{}={},{}={}", s.bos, s.bos_id, s.pad, s.pad_id, s.eos,
                     s.eos_id, s.unk, s.unk_id);
}

void ByteTokenizer::encode_normalized(std::string_view text, std::vector<int32_t>& out) const {
  for (char c : text) out.push_back(kFirstByteId + static_cast<uint8_t>(c));
}

std::string ByteTokenizer::decode_pieces(std::span<const int32_t> ids) const {
  std::string out;
  out.reserve(ids.size());
  for (int32_t id : ids) out.push_back(static_cast<char>(id - kFirstByteId));
  return out;
}

}  // namespace fg::tokenizer
