#pragma once
// A Hugging Face `tokenizers` BPE tokenizer.json run natively: added tokens are matched first,
// then the normalizer, the ByteLevel pre-tokenizer and BPE give the same ids as `tokenizers`;
// decoding follows its decoder. The post-processor's BOS/EOS become add_bos/add_eos.
#include <memory>

#include "tokenizer/hf_pipeline.h"
#include "tokenizer/tokenizer.h"

namespace fg::tokenizer {

class HfBpeTokenizer : public Tokenizer {
 public:
  // `json_text` is the tokenizer.json that `pipeline` was parsed from (save() writes it back).
  HfBpeTokenizer(TokenizerConfig config, std::string json_text, HfPipeline pipeline);

  // A directory our save() wrote: tokenizer_config.json of kind hf_tokenizer_json.
  static std::unique_ptr<HfBpeTokenizer> load(const std::filesystem::path& dir,
                                              const TokenizerConfig& config);

  int64_t vocab_size() const override { return static_cast<int64_t>(pipeline_.pieces.size()); }
  std::string id_to_piece(int32_t id) const override;
  void save(const std::filesystem::path& dir) const override;
  std::string fingerprint_material() const override;

 protected:
  void encode_text(std::string_view text, std::vector<int32_t>& out) const override;
  // After the normalizer: pre-tokenize and run BPE.
  void encode_normalized(std::string_view text, std::vector<int32_t>& out) const override;
  std::string decode_pieces(std::span<const int32_t> ids) const override;

 private:
  struct Match {
    size_t begin, end;
    int32_t id;
  };
  // The leftmost added token (longest among those starting there) at or after `from`.
  std::optional<Match> find_added(std::string_view text, size_t from, bool normalized) const;
  // Splits `text` at added tokens of one kind: ids for the tokens, `rest` for the text between.
  template <typename Rest>
  void split_added(std::string_view text, bool normalized, std::vector<int32_t>& out,
                   const Rest& rest) const;
  std::string normalize(std::string_view text) const;

  std::string json_text_;
  HfPipeline pipeline_;
  // Added tokens by first byte, longest first, for the raw and the normalized text.
  std::array<std::vector<const AddedToken*>, 256> raw_tokens_, normalized_tokens_;
};

}  // namespace fg::tokenizer
