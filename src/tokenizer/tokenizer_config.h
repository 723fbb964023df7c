#pragma once
// tokenizer_config.json: which backend, the special tokens, and the HF-style wrapper settings
// (model_max_length 2048, right padding and truncation).
#include <cstdint>
#include <filesystem>
#include <string>

#include "tokenizer/special_tokens.h"

namespace fg::tokenizer {

inline constexpr const char* kConfigFileName = "tokenizer_config.json";
inline constexpr const char* kKindSentencePiece = "sentencepiece_bpe";
inline constexpr const char* kKindByte = "byte_level";
// A Hugging Face tokenizer.json run by Forgather (model_file names it).
inline constexpr const char* kKindHfTokenizerJson = "hf_tokenizer_json";
inline constexpr const char* kHfTokenizerFileName = "tokenizer.json";

struct TokenizerConfig {
  std::string kind = kKindSentencePiece;
  std::string model_file = "tokenizer.model";  // relative to the directory; unused for bytes
  SpecialTokens special_tokens;
  int64_t vocab_size = 0;
  int64_t model_max_length = 2048;
  std::string padding_side = "right";
  std::string truncation_side = "right";
  std::string normalizer = "NFC";  // hf_tokenizer_json: tokenizer.json's normalizer decides
  bool add_bos_token = true;
  bool add_eos_token = false;
  // hf_tokenizer_json only: special-token text inside the input is ordinary text (transformers'
  // split_special_tokens); otherwise it becomes the special token, as `tokenizers` does.
  bool split_special_tokens = false;

  void validate() const;
};

void write_tokenizer_config(const std::filesystem::path& dir, const TokenizerConfig& config);
// Throws fg::IoError naming the file for a missing file, bad JSON or a missing/ill-typed field.
TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir);
// Whether dir/tokenizer_config.json exists and is ours (it has "tokenizer_kind"), rather than
// one that Hugging Face transformers wrote. A file that is not JSON counts as ours, so that
// read_tokenizer_config() reports it.
bool holds_forgather_config(const std::filesystem::path& dir);

}  // namespace fg::tokenizer
