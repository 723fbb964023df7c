#include "nn/causal_lm.h"

#include "core/check.h"

namespace fg::nn {

CausalLM::CausalLM(std::unique_ptr<Module> input_encoder, std::unique_ptr<Module> output_decoder,
                   std::unique_ptr<Module> layer_stack, const WeightInit& init_weights,
                   CausalLoss loss)
    : Module("CausalLM"), loss_(loss) {
  FG_CHECK(input_encoder && output_decoder && layer_stack,
           "[CausalLM] input_encoder, output_decoder and layer_stack are all required");
  input_encoder_ = &register_module("input_encoder", std::move(input_encoder));
  output_decoder_ = &register_module("output_decoder", std::move(output_decoder));
  layer_stack_ = &register_module("layer_stack", std::move(layer_stack));
  if (init_weights) init_weights(*this);
}

Tensor CausalLM::forward(const Tensor& ids, const ForwardContext& ctx) {
  FG_CHECK_SHAPE(ids.dim() == 2 && ids.dtype() == DType::I64,
                 "[CausalLM] expected I64 input_ids [B,T], got {}", shape_str(ids.shape()));
  ForwardContext c = ctx;
  if (c.kv_cache != nullptr) c.position_offset = c.kv_cache->length();
  Tensor h = input_encoder_->forward(ids, c);
  h = layer_stack_->forward(h, c);
  Tensor logits = output_decoder_->forward(h, c);
  if (c.kv_cache != nullptr) c.kv_cache->advance(ids.size(1));
  return logits;
}

CausalLMOutput CausalLM::forward(const Tensor& ids, const Tensor& labels,
                                 const ForwardContext& ctx) {
  CausalLMOutput out;
  out.logits = forward(ids, ctx);
  if (labels.defined()) out.loss = loss_(out.logits, labels);
  return out;
}

}  // namespace fg::nn
