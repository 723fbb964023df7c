#include "data/collator.h"

#include <algorithm>

#include "core/check.h"

namespace fg::data {

void CollatorOptions::validate() const {
  FG_CHECK(pad_id >= 0, "[Collator] expected pad_id >= 0, got {}", pad_id);
  FG_CHECK(!(truncation || pad_to_max_length) || max_length > 0,
           "[Collator] expected max_length > 0 with truncation or max-length padding, got {}",
           max_length);
}

Collator::Collator(CollatorOptions options) : options_(options) {
  options_.validate();
}

Batch Collator::operator()(std::span<const Sample> samples) const {
  FG_CHECK(!samples.empty(), "[Collator] expected at least one sample, got none");
  const bool positions = !samples[0].position_ids.empty();
  auto length = [&](const Sample& s) {
    int64_t n = static_cast<int64_t>(s.input_ids.size());
    return options_.truncation ? std::min(n, options_.max_length) : n;
  };
  Batch b;
  b.batch = static_cast<int64_t>(samples.size());
  for (const Sample& s : samples) b.seq = std::max(b.seq, length(s));
  if (options_.pad_to_max_length) b.seq = std::max(b.seq, options_.max_length);
  const size_t total = static_cast<size_t>(b.batch * b.seq);
  b.input_ids.assign(total, options_.pad_id);
  b.labels.assign(total, options_.ignore_index);
  b.attention_mask.assign(total, 0);
  if (positions) b.position_ids.assign(total, 0);
  for (int64_t r = 0; r < b.batch; ++r) {
    const Sample& s = samples[static_cast<size_t>(r)];
    FG_CHECK(s.position_ids.empty() != positions,
             "[Collator] expected every sample to have position ids or none, sample {} differs", r);
    const int64_t n = length(s);
    for (int64_t t = 0; t < n; ++t) {
      const size_t at = static_cast<size_t>(r * b.seq + t);
      b.input_ids[at] = s.input_ids[static_cast<size_t>(t)];
      b.labels[at] = s.input_ids[static_cast<size_t>(t)];
      b.attention_mask[at] = 1;
      if (positions) b.position_ids[at] = s.position_ids[static_cast<size_t>(t)];
    }
  }
  return b;
}

}  // namespace fg::data
