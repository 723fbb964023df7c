#pragma once
// The special tokens of a tokenizer and their fixed ids (tiny_2k conventions by default).
#include <cstdint>
#include <string>
#include <vector>

namespace fg::tokenizer {

struct SpecialTokens {
  std::string bos = "<|BOS|>";
  std::string pad = "<|PAD|>";
  std::string eos = "<|EOS|>";
  std::string unk = "<|UNK|>";
  int32_t bos_id = 0;
  int32_t pad_id = 1;
  int32_t eos_id = 2;
  int32_t unk_id = 3;

  // The four tokens; ids must be distinct and form 0..3 in some order (they head the vocabulary).
  void validate() const;
  std::vector<int32_t> ids() const { return {bos_id, pad_id, eos_id, unk_id}; }
  bool is_special(int32_t id) const {
    return id == bos_id || id == pad_id || id == eos_id || id == unk_id;
  }
  // The token text for a special id; empty when `id` is not special.
  std::string text_of(int32_t id) const;
  static constexpr int64_t kCount = 4;
};

}  // namespace fg::tokenizer
