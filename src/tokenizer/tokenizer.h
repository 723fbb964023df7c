#pragma once
// The tokenizer interface. encode() validates UTF-8, applies NFC, then runs the backend; with the
// default options it prepends BOS and appends no EOS (tiny_2k). decode(encode(x)) == nfc(x).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/tokenizer_config.h"

namespace fg::tokenizer {

struct EncodeOptions {
  bool add_bos = true;
  bool add_eos = false;
};

struct DecodeOptions {
  // When false, special tokens are rendered as their text ("<|BOS|>once ...").
  bool skip_special_tokens = true;
};

// encode() and decode() are const and safe to call from many threads at once.
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Uses the add_bos/add_eos defaults stored in the tokenizer's config.
  std::vector<int32_t> encode(std::string_view text) const;
  std::vector<int32_t> encode(std::string_view text, const EncodeOptions& options) const;
  std::string decode(std::span<const int32_t> ids, const DecodeOptions& options = {}) const;

  virtual int64_t vocab_size() const = 0;
  // The piece string for an id (for display); throws when out of range.
  virtual std::string id_to_piece(int32_t id) const = 0;
  // Writes the directory: the backend's files plus tokenizer_config.json.
  virtual void save(const std::filesystem::path& dir) const = 0;
  // Bytes that identify this tokenizer's behaviour exactly (dataset cache keys hash them).
  virtual std::string fingerprint_material() const = 0;

  const TokenizerConfig& config() const { return config_; }
  const SpecialTokens& special_tokens() const { return config_.special_tokens; }
  int32_t bos_id() const { return config_.special_tokens.bos_id; }
  int32_t pad_id() const { return config_.special_tokens.pad_id; }
  int32_t eos_id() const { return config_.special_tokens.eos_id; }
  int32_t unk_id() const { return config_.special_tokens.unk_id; }
  int64_t model_max_length() const { return config_.model_max_length; }

 protected:
  explicit Tokenizer(TokenizerConfig config);
  // `text` is valid UTF-8; append the ids of its tokens (no BOS/EOS) to `out`. The default applies
  // NFC, then encode_normalized(); a backend with its own normaliser (tokenizer.json) overrides it.
  virtual void encode_text(std::string_view text, std::vector<int32_t>& out) const;
  // `text` is valid NFC UTF-8; append the ids of its tokens (no specials) to `out`.
  virtual void encode_normalized(std::string_view text, std::vector<int32_t>& out) const = 0;
  // Decode a run of non-special ids to text.
  virtual std::string decode_pieces(std::span<const int32_t> ids) const = 0;

 private:
  TokenizerConfig config_;
};

// Loads a tokenizer directory written by save() (SentencePiece, byte-level or an imported
// tokenizer.json, per its config), or a Hugging Face one: a tokenizer.json whose
// tokenizer_config.json, if any, is not ours.
std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& dir);

// Whether `dir` holds a tokenizer load_tokenizer() would try: our tokenizer_config.json or a
// tokenizer.json.
bool holds_tokenizer(const std::filesystem::path& dir);

// The files of `dir` that load_tokenizer() reads (names relative to `dir`), so that callers can
// check they lie inside it.
std::vector<std::string> tokenizer_files(const std::filesystem::path& dir);

}  // namespace fg::tokenizer
