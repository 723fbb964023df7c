#include "train/length_eval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "tiny_model.h"

namespace fg::train {
namespace {

std::unique_ptr<nn::CausalLM> model(bool alibi) {
  TinyModelSpec spec;
  spec.hidden = 16;
  spec.heads = 2;
  spec.layers = 1;
  spec.feedforward = 32;
  spec.vocab = 40;
  spec.max_length = 256;
  spec.alibi = alibi;
  spec.seed = 3;
  return tiny_model(spec);
}

TEST(LengthEval, AveragesBlocksAndMatchesADirectForward) {
  auto m = model(true);
  std::vector<int64_t> stream(200);
  for (size_t i = 0; i < stream.size(); ++i) stream[i] = static_cast<int64_t>((i * 7) % 40);
  LengthEvalOptions o;
  o.lengths = {16, 64, 300};
  o.batch_size = 3;
  auto results = evaluate_lengths(*m, stream, o);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].blocks, 12);  // 200 / 16
  EXPECT_EQ(results[0].tokens, 12 * 15);
  EXPECT_EQ(results[1].blocks, 3);
  EXPECT_EQ(results[2].blocks, 0);  // longer than the stream
  EXPECT_TRUE(std::isnan(results[2].loss));
  EXPECT_TRUE(m->is_training());  // restored after evaluation
  // The 64-length figure equals one batched forward over the same three blocks.
  m->eval();
  std::vector<int64_t> ids(stream.begin(), stream.begin() + 192);
  Tensor input = Tensor::from_vector_i64(ids, {3, 64});
  double direct = m->forward(input, input, nn::ForwardContext{}).loss.item();
  EXPECT_NEAR(results[1].loss, direct, 1e-5);
  EXPECT_NEAR(results[1].perplexity, std::exp(direct), 1e-3);
  auto j = to_json(results);
  EXPECT_EQ(j[1]["length"], 64);
  EXPECT_TRUE(j[2]["loss"].is_null());
}

TEST(LengthEval, RejectsBadOptions) {
  auto m = model(false);
  LengthEvalOptions o;
  o.lengths = {};
  EXPECT_THROW(evaluate_lengths(*m, {1, 2, 3}, o), Error);
  o.lengths = {1};
  EXPECT_THROW(evaluate_lengths(*m, {1, 2, 3}, o), Error);
}

}  // namespace
}  // namespace fg::train
