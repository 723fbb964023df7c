#include "nn/input_encoder.h"

#include <fmt/format.h>

#include <cmath>

#include "core/check.h"
#include "nn/dropout.h"
#include "nn/embedding.h"
#include "nn/size_check.h"
#include "tensor/ops.h"

namespace fg::nn {

void InputEncoderOptions::validate() const {
  FG_CHECK(d_model > 0 && vocab_size > 0,
           "[InputEncoder] d_model and vocab_size must be positive, got {} and {}", d_model,
           vocab_size);
  check_parameter_size("InputEncoder", "embedding", vocab_size, d_model);
  FG_CHECK(dropout >= 0 && dropout < 1, "[InputEncoder] dropout must be in [0, 1), got {}",
           dropout);
}

InputEncoder::InputEncoder(const InputEncoderOptions& options,
                           const PositionalEncoderFactory& positional_encoder,
                           const ModuleFactory& embedding)
    : Module("InputEncoder"), options_(options) {
  options_.validate();
  scale_ =
      options.scale_sqrt_d_model ? std::sqrt(static_cast<float>(options.d_model)) : options.scale;
  embedding_ = embedding
                   ? &register_module("embedding", embedding())
                   : &register_module("embedding", std::make_unique<Embedding>(EmbeddingOptions{
                                                       options.vocab_size, options.d_model}));
  if (positional_encoder)
    positional_encoder_ = &register_module("positional_encoder", positional_encoder());
  dropout_ = &register_module("dropout", std::make_unique<Dropout>(options.dropout));
}

Tensor InputEncoder::forward(const Tensor& ids, const ForwardContext& ctx) {
  Tensor x = embedding_->forward(ids, ctx);
  if (scale_ != 1.0f) x = ops::scale(x, scale_);
  if (positional_encoder_ != nullptr) x = positional_encoder_->forward(x, ctx);
  return dropout_->forward(x, ctx);
}

std::string InputEncoder::extra_repr() const {
  return fmt::format("d_model={}, vocab_size={}, scale={}", options_.d_model, options_.vocab_size,
                     scale_);
}

}  // namespace fg::nn
