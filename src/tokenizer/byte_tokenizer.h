#pragma once
// A plain byte-level tokenizer for tests: the four specials at 0..3, then byte b at id 4 + b
// (vocab 260). Needs no training and round-trips any UTF-8 text exactly.
#include "tokenizer/tokenizer.h"

namespace fg::tokenizer {

class ByteTokenizer : public Tokenizer {
 public:
  static constexpr int32_t kFirstByteId = 4;
  static constexpr int64_t kVocabSize = 260;

  ByteTokenizer();
  explicit ByteTokenizer(TokenizerConfig config);
  static TokenizerConfig make_config(int64_t model_max_length = 2048);

  int64_t vocab_size() const override { return kVocabSize; }
  std::string id_to_piece(int32_t id) const override;
  void save(const std::filesystem::path& dir) const override;
  std::string fingerprint_material() const override;

 protected:
  void encode_normalized(std::string_view text, std::vector<int32_t>& out) const override;
  std::string decode_pieces(std::span<const int32_t> ids) const override;
};

}  // namespace fg::tokenizer
