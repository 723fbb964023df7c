#pragma once
// Imports a Hugging Face tokenizer directory: tokenizer.json (BPE), and when present the
// tokenizer_config.json and special_tokens_map.json that transformers writes beside it.
// The roles bos/pad/eos/unk come from the post-processor (BOS before the text, EOS after it),
// model.unk_token, those two files, and, failing all of them, the special added token whose
// text names the role ("<|PAD|>", "<pad>"); like our own tokenizers, the four must hold ids 0..3.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/hf_pipeline.h"
#include "tokenizer/tokenizer.h"

namespace fg::tokenizer {

// Throws fg::IoError naming the file (and JSON key) for anything unsupported or inconsistent.
std::unique_ptr<Tokenizer> import_hf_tokenizer(const std::filesystem::path& dir);

// The settings an import uses, with the special tokens resolved against `pipeline`.
TokenizerConfig hf_import_config(const std::filesystem::path& dir, const HfPipeline& pipeline);

// The files import_hf_tokenizer(dir) reads.
std::vector<std::string> hf_import_files(const std::filesystem::path& dir);

}  // namespace fg::tokenizer
