#include "nn/embedding.h"

#include <fmt/format.h>

#include "core/check.h"
#include "nn/size_check.h"
#include "tensor/ops.h"

namespace fg::nn {

void EmbeddingOptions::validate() const {
  FG_CHECK(num_embeddings > 0 && embedding_dim > 0,
           "[Embedding] num_embeddings and embedding_dim must be positive, got {} and {}",
           num_embeddings, embedding_dim);
  check_parameter_size("Embedding", "weight", num_embeddings, embedding_dim);
  FG_CHECK(padding_idx < num_embeddings, "[Embedding] padding_idx {} is not below {}", padding_idx,
           num_embeddings);
}

Embedding::Embedding(const EmbeddingOptions& options) : Module("Embedding"), options_(options) {
  options_.validate();
  weight_ =
      register_parameter("weight", Tensor::zeros({options.num_embeddings, options.embedding_dim}));
}

Tensor Embedding::forward(const Tensor& ids, const ForwardContext&) {
  FG_CHECK_SHAPE(ids.dtype() == DType::I64, "[Embedding] expected I64 token ids");
  return ops::embedding(weight_, ids);
}

std::string Embedding::extra_repr() const {
  return fmt::format("{}, {}", options_.num_embeddings, options_.embedding_dim);
}

}  // namespace fg::nn
