#pragma once
// PreLNLayer and PostLNLayer (spec-ml §1.7). The factories build, in this order, feedforward,
// attention, norm1, norm2 (the norm factory is called twice). `dropout` (layer_dropout) acts on
// the sublayer output, `residual_dropout` on the skip path only.
//   PostLN: x = Norm1(ResDrop(x) + Drop(Attn(x)));  x = Norm2(ResDrop(x) + Drop(FFN(x)))
//   PreLN:  x = ResDrop(x) + Drop(Attn(Norm1(x)));  x = ResDrop(x) + Drop(FFN(Norm2(x)))
//   Deepnet: PostLN with the skip path scaled by alpha.
#include "nn/module.h"

namespace fg::nn {

struct TransformerLayerOptions {
  float dropout = 0.1f;
  float residual_dropout = 0.0f;
  float alpha = 1.0f;  // DeepnetLayer only: the residual scale
  void validate() const;
};

class TransformerLayer : public Module {
 public:
  const TransformerLayerOptions& options() const { return options_; }

 protected:
  TransformerLayer(const char* type_name, const FeedforwardFactory& feedforward,
                   const AttentionFactory& attention, const NormFactory& norm,
                   const TransformerLayerOptions& options);
  TransformerLayerOptions options_;
  Module* feedforward_;
  Module* attention_;
  Module* norm1_;
  Module* norm2_;
  Module* dropout_;
  Module* residual_dropout_;
};

class PostLNLayer : public TransformerLayer {
 public:
  PostLNLayer(const FeedforwardFactory& feedforward, const AttentionFactory& attention,
              const NormFactory& norm, const TransformerLayerOptions& options = {})
      : TransformerLayer("PostLNLayer", feedforward, attention, norm, options) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
};

class PreLNLayer : public TransformerLayer {
 public:
  PreLNLayer(const FeedforwardFactory& feedforward, const AttentionFactory& attention,
             const NormFactory& norm, const TransformerLayerOptions& options = {})
      : TransformerLayer("PreLNLayer", feedforward, attention, norm, options) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
};

class DeepnetLayer : public TransformerLayer {
 public:
  DeepnetLayer(const FeedforwardFactory& feedforward, const AttentionFactory& attention,
               const NormFactory& norm, const TransformerLayerOptions& options = {})
      : TransformerLayer("DeepnetLayer", feedforward, attention, norm, options) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;
};

// DeepNet constants for a decoder-only stack of m layers: alpha = (2m)^(1/4) scales the residual,
// beta = (8m)^(-1/4) is the xavier gain of the FFN, value and output projections.
float deepnet_alpha(int64_t num_layers);
float deepnet_beta(int64_t num_layers);

}  // namespace fg::nn
