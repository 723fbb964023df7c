#pragma once
// A collated batch, row-major [batch, seq]; the trainer turns it into tensors.
#include <cstdint>
#include <vector>

namespace fg::data {

struct Batch {
  int64_t batch = 0;
  int64_t seq = 0;
  std::vector<int64_t> input_ids;       // [batch, seq], right-padded with the pad id
  std::vector<int64_t> labels;          // [batch, seq], ignore_index on padding, not shifted
  std::vector<int64_t> attention_mask;  // [batch, seq], 1 on tokens, 0 on padding
  std::vector<int64_t> position_ids;    // [batch, seq] for packed samples, else empty
};

}  // namespace fg::data
