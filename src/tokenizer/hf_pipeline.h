#pragma once
// The parts of a Hugging Face tokenizer.json pipeline that Forgather runs: normalizer,
// pre-tokenizer and decoder steps, added tokens, and the BOS/EOS the post-processor adds.
// parse_hf_tokenizer_json() reads them; every type or option outside this set is an error that
// names the file and the JSON key.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/bpe_model.h"

namespace fg::tokenizer {

struct NormalizeStep {
  enum class Kind { kNfc, kReplace, kPrepend } kind;
  std::string from, to;  // Replace: every `from` becomes `to`; Prepend: `to` goes in front
};

struct PreTokenizeStep {  // ByteLevel
  bool add_prefix_space = false;
  bool use_regex = true;
};

struct DecodeStep {
  enum class Kind { kByteLevel, kReplace, kByteFallback, kFuse } kind;
  std::string from, to;
};

struct AddedToken {
  int32_t id = 0;
  std::string content;
  bool special = false;
  bool normalized = false;  // matched after the normalizer rather than on the raw text
};

struct HfPipeline {
  std::vector<NormalizeStep> normalizer;
  std::optional<std::vector<PreTokenizeStep>> pre_tokenizer;  // none: the text is one word
  std::optional<std::vector<DecodeStep>> decoder;             // none: tokens joined with spaces
  std::vector<AddedToken> added_tokens;
  std::unique_ptr<BpeModel> model;
  std::vector<std::string> pieces;  // id -> token text (model vocabulary and added tokens)
  // The ids of the special tokens the post-processor puts before and after the text
  // (TemplateProcessing).
  std::optional<int32_t> template_bos, template_eos;
  std::optional<std::string> unk_token;
};

// Throws fg::IoError naming `origin` and the JSON key for anything unsupported or inconsistent.
HfPipeline parse_hf_tokenizer_json(std::string_view text, const std::string& origin);

}  // namespace fg::tokenizer
