#pragma once
// Writes a Hugging Face model directory that transformers loads with
// AutoModelForCausalLM.from_pretrained(dir, trust_remote_code=True) and AutoTokenizer:
// config.json, model.safetensors, modeling_forgather.py, configuration_forgather.py,
// generation_config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json.
#include <filesystem>
#include <string>
#include <vector>

#include "nn/causal_lm.h"
#include "tokenizer/tokenizer.h"

namespace fg::interop {

// Returns the names of the files written. Throws fg::Error for a component or tokenizer the
// exporter does not support (before writing anything).
std::vector<std::string> export_hf(const nn::CausalLM& model, const tokenizer::Tokenizer& tokenizer,
                                   const std::filesystem::path& out_dir);

}  // namespace fg::interop
