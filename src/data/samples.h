#pragma once
// Turns a tokenized dataset into training samples, each a contiguous range of its tokens:
//  - kTruncate (the original): one sample per document, cut to max_length tokens (0: no cut);
//  - kBlocks: each document cut into blocks of block_size (overlapping by stride); without
//    overflow only the first block of a document is kept;
//  - kPacked: the whole token stream cut into blocks, so documents share blocks; position ids
//    restart at 0 at every document start (spec §4.3).
// Blocks shorter than min_len are dropped; documents longer than max_doc_len are skipped.
#include <cstdint>
#include <string>
#include <vector>

#include "data/tokenized_dataset.h"

namespace fg::data {

enum class SampleMode { kTruncate, kBlocks, kPacked };
SampleMode parse_sample_mode(const std::string& name);  // "truncate", "blocks", "packed"

struct SampleOptions {
  SampleMode mode = SampleMode::kTruncate;
  int64_t max_length = 2048;  // kTruncate; 0 keeps whole documents
  int64_t block_size = 512;   // kBlocks, kPacked
  int64_t stride = 0;         // tokens shared by consecutive blocks
  bool overflow = true;       // kBlocks: keep the blocks after the first
  int64_t min_len = 1;
  int64_t max_doc_len = 0;  // 0: no limit

  void validate() const;
};

struct Sample {
  std::vector<int64_t> input_ids;
  std::vector<int64_t> position_ids;  // filled only in kPacked mode
};

class SampleSet {
 public:
  SampleSet(const TokenizedDataset& dataset, const SampleOptions& options);

  int64_t size() const { return static_cast<int64_t>(ranges_.size()); }
  Sample get(int64_t index) const;
  const SampleOptions& options() const { return options_; }

 private:
  struct Range {
    int64_t begin, end;
  };
  void add_blocks(int64_t begin, int64_t end, bool only_first);

  const TokenizedDataset& dataset_;
  SampleOptions options_;
  std::vector<Range> ranges_;
};

}  // namespace fg::data
