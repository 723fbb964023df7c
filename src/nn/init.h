#pragma once
// Weight initialisation (spec-ml §1.11): in-place, no autograd, randomness from an explicit Rng.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "nn/module.h"

namespace fg::nn {

// Tensor-level initialisers (F32 tensors).
void init_uniform_(Tensor& t, Rng& rng, float lo, float hi);
void init_normal_(Tensor& t, Rng& rng, float mean, float stddev);
// Redraws outside [a, b] (absolute bounds, as torch.nn.init.trunc_normal_, default ±2).
void init_trunc_normal_(Tensor& t, Rng& rng, float mean, float stddev, float a = -2.0f,
                        float b = 2.0f);
void init_constant_(Tensor& t, float value);

// torch's default Linear weight init: U(±gain/√fan_in), fan_in = weight.size(1).
void init_torch_linear_default(Tensor& weight, Rng& rng, float gain = 1.0f);
// N(0, std²) with std = 1/√D when scale_rsqrt_d_model (D = weight.size(1)); zeroes the
// padding row when padding_index >= 0.
void init_embeddings(Tensor& weight, Rng& rng, int64_t padding_index = -1, float stddev = 1.0f,
                     bool scale_rsqrt_d_model = true);

// Every Linear: U(±1/√fan_in) weight, zero bias; every Embedding: init_embeddings. Norms, ALiBi
// slopes and buffers are untouched. Modules are visited in named_modules() order.
void simple_weight_init(Module& model, Rng& rng, bool scale_rsqrt_d_model = true);

// PyTorch's own constructor defaults: Linear weight and bias U(±1/√fan_in); Embedding N(0,1).
void torch_default_init(Module& model, Rng& rng);

// For each named parameter, the first regex (std::regex_search) that matches selects the init
// function by key. Unknown keys in regex_list are errors (checked before anything is touched).
using ParamInit = std::function<void(Tensor& param, Rng& rng)>;
void init_weights_by_regex(Module& model, Rng& rng,
                           const std::vector<std::pair<std::string, std::string>>& regex_list,
                           const std::map<std::string, ParamInit>& init_f_map);

// HF Llama: N(0, std²) for Linear and Embedding weights (padding row zeroed), zero biases.
void hf_llama_weight_init(Module& model, Rng& rng, float stddev = 0.02f);

// llama_init building blocks (torchtitan style).
float llama_std(int64_t n_layers);                                  // 0.02 / √(2n)
float llama_std_depth(int64_t layer_id);                            // 0.02 / √(2(l+1))
void trunc_normal(Tensor& weight, Rng& rng, float stddev);          // cut at ±2 (absolute)
void trunc_normal_magic(Tensor& weight, Rng& rng);                  // std 0.02
void init_output_layer(Tensor& weight, Rng& rng, int64_t d_model);  // std D^-0.5, cut ±3σ
void llama_init_embeddings(Tensor& weight, Rng& rng);               // N(0, 1), not scaled
// A whole-model composition: embeddings N(0,1); output_decoder via init_output_layer; other
// Linear weights trunc_normal(llama_std(n_layers)); biases zero.
void llama_init(Module& model, Rng& rng, int64_t n_layers, int64_t d_model);

}  // namespace fg::nn
