#pragma once
// CausalLM (the EX CasualLM, spec-ml §1.2): input_encoder -> layer_stack -> output_decoder, with
// registration order input_encoder, output_decoder, layer_stack (so state-dict names match
// PyTorch). The init function runs at the end of the constructor, as in EX. Names carry no
// "causal_lm." prefix; LoadOptions::prefix strips it from HF-style checkpoints.
#include <functional>

#include "nn/causal_loss.h"
#include "nn/module.h"

namespace fg::nn {

// Initialises a whole model (e.g. simple_weight_init bound to an Rng).
using WeightInit = std::function<void(Module&)>;

struct CausalLMOutput {
  Tensor logits;  // [B,T,V]
  Tensor loss;    // scalar; undefined without labels
};

class CausalLM : public Module {
 public:
  CausalLM(std::unique_ptr<Module> input_encoder, std::unique_ptr<Module> output_decoder,
           std::unique_ptr<Module> layer_stack, const WeightInit& init_weights = nullptr,
           CausalLoss loss = CausalLoss());
  // ids I64 [B,T] -> logits [B,T,V]. With ctx.kv_cache, positions continue from the cache
  // length, and the cache advances by T afterwards.
  Tensor forward(const Tensor& ids, const ForwardContext& ctx) override;
  using Module::forward;
  CausalLMOutput forward(const Tensor& ids, const Tensor& labels, const ForwardContext& ctx);
  const CausalLoss& loss_fn() const { return loss_; }
  Module& input_encoder() { return *input_encoder_; }
  Module& layer_stack() { return *layer_stack_; }
  Module& output_decoder() { return *output_decoder_; }

 private:
  Module* input_encoder_;
  Module* output_decoder_;
  Module* layer_stack_;
  CausalLoss loss_;
};

}  // namespace fg::nn
