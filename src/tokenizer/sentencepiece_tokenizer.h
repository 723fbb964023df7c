#pragma once
// The SentencePiece BPE backend (byte fallback, identity normalisation: NFC is applied by the
// base class with ICU because SentencePiece has no plain NFC rule).
#include <memory>

#include "tokenizer/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace fg::tokenizer {

class SentencePieceTokenizer : public Tokenizer {
 public:
  // `model_proto` is a serialized SentencePiece ModelProto (the .model file's bytes).
  SentencePieceTokenizer(TokenizerConfig config, std::string model_proto);
  ~SentencePieceTokenizer() override;

  static std::unique_ptr<SentencePieceTokenizer> load(const std::filesystem::path& dir,
                                                      const TokenizerConfig& config);

  int64_t vocab_size() const override;
  std::string id_to_piece(int32_t id) const override;
  void save(const std::filesystem::path& dir) const override;
  std::string fingerprint_material() const override;
  // The serialized ModelProto (for converters that read pieces, scores and types).
  const std::string& model_proto() const { return model_proto_; }

 protected:
  void encode_normalized(std::string_view text, std::vector<int32_t>& out) const override;
  std::string decode_pieces(std::span<const int32_t> ids) const override;

 private:
  void check_specials() const;

  std::string model_proto_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
  std::vector<int32_t> marker_ids_;  // byte pieces of U+2581 (empty without byte fallback)
};

}  // namespace fg::tokenizer
