#pragma once
// DataCollatorForCausalLM (spec §4.4): optional right truncation to max_length, dynamic right
// padding to the longest sample with the pad id, labels = input_ids with ignore_index on padding.
#include <cstdint>
#include <span>

#include "data/batch.h"
#include "data/samples.h"

namespace fg::data {

struct CollatorOptions {
  int32_t pad_id = 1;
  int64_t ignore_index = -100;
  bool truncation = false;
  int64_t max_length = 2048;  // used when truncation is on (tokenizer.model_max_length)
  // Pad every batch to max_length instead of the longest sample ("padding=max_length").
  bool pad_to_max_length = false;

  void validate() const;
};

class Collator {
 public:
  explicit Collator(CollatorOptions options);
  Batch operator()(std::span<const Sample> samples) const;
  const CollatorOptions& options() const { return options_; }

 private:
  CollatorOptions options_;
};

}  // namespace fg::data
