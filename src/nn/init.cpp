#include "nn/init.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/check.h"
#include "core/strings.h"
#include "kernels/backend.h"
#include "nn/embedding.h"
#include "nn/linear.h"

namespace fg::nn {

// Weights are drawn on the host (the Rng is a host object) and then written to the tensor's
// device in one copy, so initialisation works the same for every backend.
static void check_f32(const Tensor& t, const char* who) {
  FG_CHECK(t.defined() && t.dtype() == DType::F32, "[{}] expected a defined F32 tensor", who);
}

// One host-to-device copy straight into the tensor's storage (no temporary tensor, so the
// caching allocator keeps no parameter-sized blocks from initialisation).
static void write_values(Tensor& t, const std::vector<float>& values) {
  backend_for(t.device()).copy_from_host(values.data(), t.raw_data(), t.numel() * 4);
}

template <class Draw>
static std::vector<float> draw_values(const Tensor& t, Draw draw) {
  std::vector<float> values(static_cast<size_t>(t.numel()));
  for (float& v : values) v = static_cast<float>(draw());
  return values;
}

void init_uniform_(Tensor& t, Rng& rng, float lo, float hi) {
  check_f32(t, "init_uniform_");
  write_values(t, draw_values(t, [&] { return rng.uniform(lo, hi); }));
}

void init_normal_(Tensor& t, Rng& rng, float mean, float stddev) {
  check_f32(t, "init_normal_");
  write_values(t, draw_values(t, [&] { return rng.normal(mean, stddev); }));
}

void init_trunc_normal_(Tensor& t, Rng& rng, float mean, float stddev, float a, float b) {
  FG_CHECK(a < b && a <= mean + 3 * stddev && b >= mean - 3 * stddev,
           "[init_trunc_normal_] bounds [{}, {}] leave no mass around mean {} (std {})", a, b, mean,
           stddev);
  check_f32(t, "init_trunc_normal_");
  write_values(t, draw_values(t, [&] {
                 double v;
                 do v = rng.normal(mean, stddev);
                 while (v < a || v > b);
                 return v;
               }));
}

void init_constant_(Tensor& t, float value) {
  check_f32(t, "init_constant_");
  t.fill_(value);
}

void init_torch_linear_default(Tensor& weight, Rng& rng, float gain) {
  FG_CHECK(weight.dim() == 2, "[init_torch_linear_default] expected a [out,in] weight, got {}",
           shape_str(weight.shape()));
  const float r = gain / std::sqrt(static_cast<float>(weight.size(1)));
  init_uniform_(weight, rng, -r, r);
}

void init_embeddings(Tensor& weight, Rng& rng, int64_t padding_index, float stddev,
                     bool scale_rsqrt_d_model) {
  FG_CHECK(weight.dim() == 2, "[init_embeddings] expected a [V,D] weight, got {}",
           shape_str(weight.shape()));
  if (scale_rsqrt_d_model) stddev = 1.0f / std::sqrt(static_cast<float>(weight.size(1)));
  FG_CHECK(padding_index < weight.size(0), "[init_embeddings] padding_index {} >= {}",
           padding_index, weight.size(0));
  check_f32(weight, "init_embeddings");
  std::vector<float> values = draw_values(weight, [&] { return rng.normal(0.0f, stddev); });
  if (padding_index >= 0) {
    auto row = values.begin() + padding_index * weight.size(1);
    std::fill(row, row + weight.size(1), 0.0f);
  }
  write_values(weight, values);
}

// Calls on_linear / on_embedding for every Linear / Embedding in named_modules() order.
template <class L, class E>
static void for_each_leaf(Module& model, L on_linear, E on_embedding) {
  for (auto& [name, m] : model.named_modules()) {
    if (auto* lin = dynamic_cast<Linear*>(m))
      on_linear(name, *lin);
    else if (auto* emb = dynamic_cast<Embedding*>(m))
      on_embedding(name, *emb);
  }
}

void simple_weight_init(Module& model, Rng& rng, bool scale_rsqrt_d_model) {
  for_each_leaf(
      model,
      [&](const std::string&, Linear& l) {
        init_torch_linear_default(l.weight(), rng);
        if (l.bias().defined()) l.bias().fill_(0.0f);
      },
      [&](const std::string&, Embedding& e) {
        init_embeddings(e.weight(), rng, e.options().padding_idx, 1.0f, scale_rsqrt_d_model);
      });
}

void torch_default_init(Module& model, Rng& rng) {
  for_each_leaf(
      model,
      [&](const std::string&, Linear& l) {
        init_torch_linear_default(l.weight(), rng);
        const float r = 1.0f / std::sqrt(static_cast<float>(l.options().in_features));
        if (l.bias().defined()) init_uniform_(l.bias(), rng, -r, r);
      },
      [&](const std::string&, Embedding& e) { init_normal_(e.weight(), rng, 0.0f, 1.0f); });
}

void init_weights_by_regex(Module& model, Rng& rng,
                           const std::vector<std::pair<std::string, std::string>>& regex_list,
                           const std::map<std::string, ParamInit>& init_f_map) {
  std::vector<std::string> keys;
  for (const auto& [k, _] : init_f_map) keys.push_back(k);
  // RE2 matches in linear time: a pattern from a stranger's config cannot hang the way a
  // backtracking engine does on (a*)*b. It refuses what needs backtracking (back-references).
  std::vector<std::pair<std::unique_ptr<re2::RE2>, const ParamInit*>> compiled;
  re2::RE2::Options options;
  options.set_log_errors(false);
  for (const auto& [re, key] : regex_list) {
    auto it = init_f_map.find(key);
    FG_CHECK(it != init_f_map.end(), "[init_weights_by_regex] undefined key '{}' in regex list{}",
             key, did_you_mean(key, keys));
    auto pattern = std::make_unique<re2::RE2>(re, options);
    if (!pattern->ok())
      throw Error(
          fmt::format("[init_weights_by_regex] invalid regex '{}': {}", re, pattern->error()));
    compiled.emplace_back(std::move(pattern), &it->second);
  }
  for (auto& [name, param] : model.named_parameters()) {
    for (auto& [re, fn] : compiled) {
      if (re2::RE2::PartialMatch(name, *re)) {
        (*fn)(param, rng);
        break;
      }
    }
  }
}

void hf_llama_weight_init(Module& model, Rng& rng, float stddev) {
  for_each_leaf(
      model,
      [&](const std::string&, Linear& l) {
        init_normal_(l.weight(), rng, 0.0f, stddev);
        if (l.bias().defined()) l.bias().fill_(0.0f);
      },
      [&](const std::string&, Embedding& e) {
        init_embeddings(e.weight(), rng, e.options().padding_idx, stddev, false);
      });
}

float llama_std(int64_t n_layers) {
  return 0.02f / std::sqrt(2.0f * static_cast<float>(n_layers));
}

float llama_std_depth(int64_t layer_id) {
  return 0.02f / std::sqrt(2.0f * static_cast<float>(layer_id + 1));
}

void trunc_normal(Tensor& weight, Rng& rng, float stddev) {
  init_trunc_normal_(weight, rng, 0.0f, stddev);
}

void trunc_normal_magic(Tensor& weight, Rng& rng) {
  init_trunc_normal_(weight, rng, 0.0f, 0.02f);
}

void init_output_layer(Tensor& weight, Rng& rng, int64_t d_model) {
  const float stddev = 1.0f / std::sqrt(static_cast<float>(d_model));
  init_trunc_normal_(weight, rng, 0.0f, stddev, -3.0f * stddev, 3.0f * stddev);
}

void llama_init_embeddings(Tensor& weight, Rng& rng) {
  init_normal_(weight, rng, 0.0f, 1.0f);
}

void llama_init(Module& model, Rng& rng, int64_t n_layers, int64_t d_model) {
  for_each_leaf(
      model,
      [&](const std::string& name, Linear& l) {
        if (name == "output_decoder" || ends_with(name, ".output_decoder"))
          init_output_layer(l.weight(), rng, d_model);
        else
          trunc_normal(l.weight(), rng, llama_std(n_layers));
        if (l.bias().defined()) l.bias().fill_(0.0f);
      },
      [&](const std::string&, Embedding& e) { llama_init_embeddings(e.weight(), rng); });
}

}  // namespace fg::nn
