#pragma once
// InputEncoder: x = E[ids]; x *= scale (√D by default); x = PE(x); dropout. Order as the original:
// scale first, then the positional encoder, then dropout.
#include "nn/module.h"

namespace fg::nn {

struct InputEncoderOptions {
  int64_t d_model = 0;
  int64_t vocab_size = 0;
  float dropout = 0.1f;
  float scale = 1.0f;              // used when scale_sqrt_d_model is false
  bool scale_sqrt_d_model = true;  // scale = √d_model
  void validate() const;
};

class InputEncoder : public Module {
 public:
  // positional_encoder may be empty (no PE); embedding may be empty (a plain Embedding(V,D)).
  explicit InputEncoder(const InputEncoderOptions& options,
                        const PositionalEncoderFactory& positional_encoder = nullptr,
                        const ModuleFactory& embedding = nullptr);
  Tensor forward(const Tensor& ids, const ForwardContext& ctx) override;  // I64 [B,T] -> [B,T,D]
  using Module::forward;
  std::string extra_repr() const override;
  float scale() const { return scale_; }
  const InputEncoderOptions& options() const { return options_; }

 private:
  InputEncoderOptions options_;
  float scale_;
  Module* embedding_;
  Module* positional_encoder_ = nullptr;
  Module* dropout_;
};

}  // namespace fg::nn
