#include "tokenizer/special_tokens.h"

#include <algorithm>

#include "core/check.h"

namespace fg::tokenizer {

void SpecialTokens::validate() const {
  std::vector<int32_t> sorted = ids();
  std::sort(sorted.begin(), sorted.end());
  FG_CHECK(sorted == std::vector<int32_t>({0, 1, 2, 3}),
           "[SpecialTokens] expected the ids of bos, pad, eos, unk to be 0..3 in some order, got "
           "{}, {}, {}, {}",
           bos_id, pad_id, eos_id, unk_id);
  std::vector<std::string> texts = {bos, pad, eos, unk};
  for (size_t i = 0; i < texts.size(); ++i) {
    FG_CHECK(!texts[i].empty(), "[SpecialTokens] expected non-empty token text, got an empty one");
    for (size_t j = i + 1; j < texts.size(); ++j)
      FG_CHECK(texts[i] != texts[j],
               "[SpecialTokens] expected distinct token texts, got '{}' twice", texts[i]);
  }
}

std::string SpecialTokens::text_of(int32_t id) const {
  if (id == bos_id) return bos;
  if (id == pad_id) return pad;
  if (id == eos_id) return eos;
  if (id == unk_id) return unk;
  return {};
}

}  // namespace fg::tokenizer
