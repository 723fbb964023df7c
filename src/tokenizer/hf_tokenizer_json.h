#pragma once
// Converts a SentencePiece BPE tokenizer to a Hugging Face `tokenizers` tokenizer.json (BPE with
// byte fallback) that encodes text to the same ids: NFC, spaces as U+2581, no pre-tokenizer,
// merges rebuilt from the pieces' scores, and BOS/EOS added as our add_bos/add_eos say.
#include <nlohmann/json.hpp>

#include "tokenizer/sentencepiece_tokenizer.h"

namespace fg::tokenizer {

nlohmann::json hf_tokenizer_json(const SentencePieceTokenizer& tokenizer);

// tokenizer_config.json for transformers' AutoTokenizer (PreTrainedTokenizerFast).
nlohmann::json hf_tokenizer_config(const Tokenizer& tokenizer);

}  // namespace fg::tokenizer
