#include "data/samples.h"

#include <algorithm>

#include "core/check.h"
#include "core/strings.h"

namespace fg::data {

SampleMode parse_sample_mode(const std::string& name) {
  if (name == "truncate") return SampleMode::kTruncate;
  if (name == "blocks") return SampleMode::kBlocks;
  if (name == "packed") return SampleMode::kPacked;
  std::vector<std::string> names = {"truncate", "blocks", "packed"};
  throw Error(fmt::format("[SampleOptions] unknown mode '{}'; expected one of {}{}", name,
                          join(names, ", "), did_you_mean(name, names)));
}

void SampleOptions::validate() const {
  FG_CHECK(max_length >= 0, "[SampleOptions] expected max_length >= 0, got {}", max_length);
  FG_CHECK(mode == SampleMode::kTruncate || block_size > 0,
           "[SampleOptions] expected block_size > 0, got {}", block_size);
  FG_CHECK(stride >= 0 && (mode == SampleMode::kTruncate || stride < block_size),
           "[SampleOptions] expected 0 <= stride < block_size ({}), got {}", block_size, stride);
  FG_CHECK(min_len >= 1, "[SampleOptions] expected min_len >= 1, got {}", min_len);
  FG_CHECK(max_doc_len >= 0, "[SampleOptions] expected max_doc_len >= 0, got {}", max_doc_len);
}

void SampleSet::add_blocks(int64_t begin, int64_t end, bool only_first) {
  const int64_t step = options_.block_size - options_.stride;
  for (int64_t b = begin; b < end; b += step) {
    int64_t e = std::min(end, b + options_.block_size);
    if (e - b >= options_.min_len) ranges_.push_back({b, e});
    if (only_first || e == end) break;
  }
}

SampleSet::SampleSet(const TokenizedDataset& dataset, const SampleOptions& options)
    : dataset_(dataset), options_(options) {
  options_.validate();
  const int64_t max_doc = options_.max_doc_len;
  if (options_.mode == SampleMode::kPacked) {
    // Skipping long documents would break the contiguous stream, so kPacked ignores max_doc_len.
    add_blocks(0, dataset.num_tokens(), false);
  } else {
    for (int64_t d = 0; d < dataset.size(); ++d) {
      int64_t b = dataset.doc_begin(d), e = dataset.doc_end(d);
      if (max_doc > 0 && e - b > max_doc) continue;
      if (options_.mode == SampleMode::kBlocks) {
        add_blocks(b, e, !options_.overflow);
      } else if (e - b >= options_.min_len) {
        ranges_.push_back({b, options_.max_length > 0 ? std::min(e, b + options_.max_length) : e});
      }
    }
  }
  FG_CHECK(!ranges_.empty(),
           "[SampleSet] expected at least one sample from {} documents ({} tokens), got none; "
           "check min_len ({}) and max_doc_len ({})",
           dataset.size(), dataset.num_tokens(), options_.min_len, options_.max_doc_len);
}

Sample SampleSet::get(int64_t index) const {
  FG_CHECK(index >= 0 && index < size(), "[SampleSet] expected an index in [0, {}), got {}", size(),
           index);
  const Range r = ranges_[static_cast<size_t>(index)];
  Sample s;
  s.input_ids.reserve(static_cast<size_t>(r.end - r.begin));
  for (int64_t i = r.begin; i < r.end; ++i) s.input_ids.push_back(dataset_.token(i));
  if (options_.mode == SampleMode::kPacked) {
    // The document holding each token: its position counts from that document's start.
    const int64_t* offsets = dataset_.offsets();
    const int64_t* last = offsets + dataset_.size() + 1;
    for (int64_t i = r.begin; i < r.end; ++i) {
      const int64_t* doc = std::upper_bound(offsets, last, i) - 1;
      s.position_ids.push_back(i - std::max(*doc, r.begin));
    }
  }
  return s;
}

}  // namespace fg::data
