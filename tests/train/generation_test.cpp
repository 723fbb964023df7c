#include "train/generation.h"

#include <gtest/gtest.h>

#include "tiny_model.h"

namespace fg::train {
namespace {

std::unique_ptr<nn::CausalLM> small_model(bool alibi) {
  TinyModelSpec spec;
  spec.alibi = alibi;
  return tiny_model(spec);
}

class GenerationCache : public ::testing::TestWithParam<bool> {};

TEST_P(GenerationCache, GreedyTokensAreIdenticalWithAndWithoutTheCache) {
  auto model = small_model(GetParam());
  GenerationRequest req;
  req.prompts = {{0, 5, 9, 13}, {0, 7, 7, 1}, {0, 3}};
  req.sampling = SamplingOptions::greedy();
  req.sampling.max_new_tokens = 24;
  req.use_cache = false;
  GenerationResult plain = generate(*model, req);
  req.use_cache = true;
  GenerationResult cached = generate(*model, req);
  ASSERT_EQ(plain.new_tokens.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(plain.new_tokens[i].size(), 24u);
    EXPECT_EQ(plain.new_tokens[i], cached.new_tokens[i]) << "prompt " << i;
  }
  EXPECT_TRUE(model->is_training());  // restored
}

INSTANTIATE_TEST_SUITE_P(Variants, GenerationCache, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "ALiBi" : "AbsPE"; });

TEST(Generation, SamplingIsSeededAndStreamsTokens) {
  auto model = small_model(true);
  GenerationRequest req;
  req.prompts = {{0, 4, 8}};
  req.sampling.max_new_tokens = 10;
  std::vector<int64_t> streamed;
  auto a = generate(*model, req, [&](int64_t row, int64_t tok) {
    EXPECT_EQ(row, 0);
    streamed.push_back(tok);
  });
  auto b = generate(*model, req);
  EXPECT_EQ(a.new_tokens[0], b.new_tokens[0]);
  EXPECT_EQ(streamed, a.new_tokens[0]);
  EXPECT_EQ(a.total_new_tokens, 10);
}

TEST(Generation, StopsAtEos) {
  auto model = small_model(true);
  GenerationRequest req;
  req.prompts = {{0, 4, 8}};
  req.sampling = SamplingOptions::greedy();
  req.sampling.max_new_tokens = 8;
  auto first = generate(*model, req);
  req.eos_id = first.new_tokens[0][2];  // make the third greedy token the EOS
  auto stopped = generate(*model, req);
  EXPECT_LE(stopped.new_tokens[0].size(), 3u);
  EXPECT_EQ(stopped.new_tokens[0].back(), req.eos_id);
}

TEST(Generation, RejectsEmptyPrompts) {
  auto model = small_model(true);
  GenerationRequest req;
  EXPECT_THROW(generate(*model, req), Error);
  req.prompts = {{}};
  EXPECT_THROW(generate(*model, req), Error);
}

}  // namespace
}  // namespace fg::train
