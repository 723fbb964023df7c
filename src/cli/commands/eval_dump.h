#pragma once
// `forgather eval --dump-logits FILE`: a safetensors file of what the model computes on an
// evaluation split, for checking other implementations (the Hugging Face export): per story i,
// "ids.<i>" (I64 [T], the tokenizer's ids with BOS) for every story, "logits.<i>" (F32 [T',V],
// T' = min(T, max_tokens)) for the first `stories`, and the texts as metadata "text.<i>".
#include <filesystem>
#include <string>
#include <vector>

#include "builders/model_directory.h"

namespace fg::cli {

struct LogitsDumpRequest {
  std::filesystem::path file;
  int64_t stories = 8;
  int64_t max_tokens = 256;
};

void dump_logits(const builders::LoadedModel& loaded, const std::vector<std::string>& docs,
                 const LogitsDumpRequest& request);

}  // namespace fg::cli
