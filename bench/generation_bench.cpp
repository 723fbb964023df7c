// Generation tokens/s of the example model (random weights: the cost does not depend on them),
// greedy, with and without the KV cache, and a check that both produce the same tokens.
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "nn/causal_transformer.h"
#include "train/generation.h"

namespace {

int64_t flag(int argc, char** argv, const char* name, int64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::atoll(argv[i + 1]);
  }
  return fallback;
}

bool has(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t new_tokens = flag(argc, argv, "--new-tokens", 128);
  const int64_t prompt_tokens = flag(argc, argv, "--prompt-tokens", 16);
  fg::nn::CausalTransformerConfig config;  // the example: D 288, 6 heads, 6 layers, V 2000
  config.alibi = !has(argc, argv, "--abspe");
  fg::Rng rng(1);
  auto model = fg::nn::make_causal_transformer(config, rng);

  fg::train::GenerationRequest req;
  req.sampling = fg::train::SamplingOptions::greedy();
  req.sampling.max_new_tokens = new_tokens;
  std::vector<int64_t> prompt(prompt_tokens);
  for (int64_t i = 0; i < prompt_tokens; ++i) prompt[i] = (i * 37 + 5) % config.vocab_size;
  req.prompts = {prompt};

  fmt::print("model: {} parameters, {}; prompt {} tokens, {} new tokens, greedy\n",
             model->num_parameters(), config.alibi ? "ALiBi" : "AbsPE", prompt_tokens, new_tokens);
  req.use_cache = false;
  auto plain = fg::train::generate(*model, req);
  req.use_cache = true;
  auto cached = fg::train::generate(*model, req);
  const double plain_tps = plain.total_new_tokens / plain.seconds;
  const double cached_tps = cached.total_new_tokens / cached.seconds;
  fmt::print("without_cache_tokens_per_second: {:.1f}\n", plain_tps);
  fmt::print("with_cache_tokens_per_second: {:.1f}\n", cached_tps);
  fmt::print("speedup: {:.1f}x\n", cached_tps / plain_tps);
  const bool same = plain.new_tokens == cached.new_tokens;
  fmt::print("identical_tokens: {}\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
