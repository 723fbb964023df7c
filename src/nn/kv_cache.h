#pragma once
// Keys and values of earlier positions for incremental decoding. One slot per layer; attention
// appends its new keys/values and attends with query_offset = length(), so ALiBi and causal masks
// use absolute positions. CausalLM::forward advances the length after the whole stack has run.
#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace fg::nn {

struct AttentionCache {
  Tensor k;  // [B,Hkv,Tpast,Dh]
  Tensor v;  // [B,Hkv,Tpast,Dh]
};

class KVCache {
 public:
  explicit KVCache(int64_t num_layers = 0) : layers_(static_cast<size_t>(num_layers)) {}
  int64_t length() const { return length_; }
  int64_t num_layers() const { return static_cast<int64_t>(layers_.size()); }
  AttentionCache& layer(int64_t i);
  void advance(int64_t tokens) { length_ += tokens; }
  void clear();

 private:
  std::vector<AttentionCache> layers_;
  int64_t length_ = 0;
};

}  // namespace fg::nn
