#pragma once
// Embedding(V, D): a plain lookup table "weight" [V,D] (no padding_idx, as the original).
#include "nn/module.h"

namespace fg::nn {

struct EmbeddingOptions {
  int64_t num_embeddings = 0;
  int64_t embedding_dim = 0;
  int64_t padding_idx = -1;  // < 0: none. Only init functions use it (they zero that row).
  void validate() const;
};

class Embedding : public Module {
 public:
  explicit Embedding(const EmbeddingOptions& options);
  Tensor forward(const Tensor& ids, const ForwardContext& ctx) override;  // I64 [...] -> [...,D]
  using Module::forward;
  std::string extra_repr() const override;
  const EmbeddingOptions& options() const { return options_; }
  Tensor& weight() { return weight_; }

 private:
  EmbeddingOptions options_;
  Tensor weight_;  // [V,D]
};

}  // namespace fg::nn
