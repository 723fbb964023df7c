#include "interop/hf_model_spec.h"

#include <fmt/format.h>

#include "core/check.h"
#include "core/error.h"
#include "nn/attention/causal_alibi_attn.h"
#include "nn/attention/causal_multihead_attn.h"
#include "nn/dropout.h"
#include "nn/embedding.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/input_encoder.h"
#include "nn/layer_stack.h"
#include "nn/linear.h"
#include "nn/norm.h"
#include "nn/positional/null_pe.h"
#include "nn/positional/sinusoidal_pe.h"
#include "nn/transformer_layer.h"

namespace fg::interop {

using nlohmann::json;

namespace {

[[noreturn]] void unsupported(const std::string& path, const nn::Module* m,
                              const std::string& supported) {
  throw Error(fmt::format(
      "[export hf] the model's {} is {}, which the Hugging Face exporter does not support "
      "(supported there: {})",
      path, m ? "a " + m->type_name() : "missing", supported));
}

const nn::Module* child(const nn::Module& parent, const std::string& name) {
  for (const auto& [n, m] : parent.children())
    if (n == name) return m.get();
  return nullptr;
}

template <class T>
const T& expect(const nn::Module* m, const std::string& path, const std::string& supported) {
  const T* t = dynamic_cast<const T*>(m);
  if (!t) unsupported(path, m, supported);
  return *t;
}

json norm_spec(const nn::Module* m, const std::string& path) {
  if (auto* ln = dynamic_cast<const nn::LayerNorm*>(m)) {
    const auto& o = ln->options();
    return {
        {"type", "layer_norm"}, {"eps", o.eps}, {"affine", o.elementwise_affine}, {"bias", o.bias}};
  }
  if (auto* rms = dynamic_cast<const nn::RMSNorm*>(m)) {
    const auto& o = rms->options();
    return {{"type", "rms_norm"}, {"eps", o.eps}, {"affine", o.elementwise_affine}};
  }
  unsupported(path, m, "LayerNorm, RMSNorm");
}

json attention_spec(const nn::Module* m, const std::string& path) {
  if (auto* a = dynamic_cast<const nn::CausalAlibiAttn*>(m)) {
    const auto& o = a->options();
    return {{"attention_type", "alibi"},
            {"num_attention_heads", o.num_heads},
            {"num_key_value_heads", o.num_kv_heads},
            {"attention_bias", o.bias}};
  }
  if (auto* a = dynamic_cast<const nn::CausalMultiheadAttn*>(m)) {
    const auto& o = a->options();
    return {{"attention_type", "multihead"},
            {"num_attention_heads", o.num_heads},
            {"num_key_value_heads", o.num_kv_heads},
            {"attention_bias", o.bias}};
  }
  unsupported(path, m, "CausalAlibiAttn, CausalMultiheadAttn");
}

json feedforward_spec(const nn::Module* m, const std::string& path) {
  if (auto* f = dynamic_cast<const nn::GLUFeedforwardLayer*>(m)) {
    const auto& o = f->options();
    return {{"feedforward_type", "glu"},
            {"intermediate_size", o.d_feedforward},
            {"feedforward_bias", false},
            {"hidden_act", nn::activation_name(o.activation)}};
  }
  if (auto* f = dynamic_cast<const nn::FeedforwardLayer*>(m)) {
    const auto& o = f->options();
    return {{"feedforward_type", "mlp"},
            {"intermediate_size", o.d_feedforward},
            {"feedforward_bias", o.bias},
            {"hidden_act", nn::activation_name(o.activation)}};
  }
  unsupported(path, m, "GLUFeedforwardLayer, FeedforwardLayer");
}

// One layer's spec; the norms must match each other (config.json holds one norm spec).
json layer_spec(const nn::Module* m, const std::string& path) {
  json spec;
  float alpha = 1.0f;
  if (dynamic_cast<const nn::PostLNLayer*>(m)) {
    spec["layer_type"] = "post_ln";
  } else if (dynamic_cast<const nn::PreLNLayer*>(m)) {
    spec["layer_type"] = "pre_ln";
  } else if (auto* d = dynamic_cast<const nn::DeepnetLayer*>(m)) {
    spec["layer_type"] = "deepnet";
    alpha = d->options().alpha;
  } else {
    unsupported(path, m, "PostLNLayer, PreLNLayer, DeepnetLayer");
  }
  spec["residual_alpha"] = alpha;
  spec.update(attention_spec(child(*m, "attention"), path + ".attention"));
  spec.update(feedforward_spec(child(*m, "feedforward"), path + ".feedforward"));
  spec["norm"] = norm_spec(child(*m, "norm1"), path + ".norm1");
  if (norm_spec(child(*m, "norm2"), path + ".norm2") != spec["norm"])
    throw Error(
        fmt::format("[export hf] {}.norm1 and .norm2 differ; the exporter needs one norm "
                    "configuration for every layer norm",
                    path));
  return spec;
}

json encoder_spec(const nn::Module* m) {
  const auto& enc = expect<nn::InputEncoder>(m, "input_encoder", "InputEncoder");
  expect<nn::Embedding>(child(enc, "embedding"), "input_encoder.embedding", "Embedding");
  json spec = {{"vocab_size", enc.options().vocab_size},
               {"hidden_size", enc.options().d_model},
               {"embedding_scale", enc.scale()}};
  const nn::Module* pe = child(enc, "positional_encoder");
  if (pe == nullptr) {
    spec["positional_encoding"] = "none";
  } else if (dynamic_cast<const nn::NullPE*>(pe)) {
    spec["positional_encoding"] = "null";
  } else if (auto* s = dynamic_cast<const nn::SinusoidalPE*>(pe)) {
    spec["positional_encoding"] = "sinusoidal";
    spec["max_position_embeddings"] = s->options().max_sequence_length;
  } else {
    unsupported("input_encoder.positional_encoder", pe, "NullPE, SinusoidalPE, none");
  }
  return spec;
}

}  // namespace

json hf_model_spec(const nn::CausalLM& model) {
  json spec = encoder_spec(child(model, "input_encoder"));
  const auto& decoder =
      expect<nn::Linear>(child(model, "output_decoder"), "output_decoder", "Linear");
  FG_CHECK(decoder.options().out_features == spec["vocab_size"].get<int64_t>() &&
               decoder.options().in_features == spec["hidden_size"].get<int64_t>(),
           "[export hf] output_decoder is Linear({}, {}), expected Linear(hidden, vocab)",
           decoder.options().in_features, decoder.options().out_features);
  spec["output_bias"] = decoder.options().bias;

  const auto& stack =
      expect<nn::LayerStack>(child(model, "layer_stack"), "layer_stack", "LayerStack");
  const nn::Module* layers = child(stack, "layers");
  FG_CHECK(layers != nullptr && !layers->children().empty(),
           "[export hf] the model's layer_stack has no layers");
  json first;
  for (const auto& [index, layer] : layers->children()) {
    const std::string path = "layer_stack.layers." + index;
    json spec_i = layer_spec(layer.get(), path);
    if (first.is_null()) first = spec_i;
    if (spec_i != first)
      throw Error(
          fmt::format("[export hf] {} is configured unlike layer 0 ({} vs {}); the "
                      "exporter needs identical layers",
                      path, spec_i.dump(), first.dump()));
  }
  spec.update(first);
  spec["num_hidden_layers"] = static_cast<int64_t>(layers->children().size());
  const nn::Module* final_norm = child(stack, "layer_norm");
  spec["final_norm"] = final_norm ? norm_spec(final_norm, "layer_stack.layer_norm") : json();
  if (!spec.contains("max_position_embeddings")) spec["max_position_embeddings"] = 2048;
  return spec;
}

}  // namespace fg::interop
