// Incremental decoding with the KV cache gives the same logits as re-running the whole sequence,
// for ALiBi (bias from absolute positions) and for the sinusoidal PE (positions offset).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

#include "nn/causal_transformer.h"
#include "tensor/ops.h"

namespace fg::nn {
namespace {

void check_incremental(bool alibi) {
  CausalTransformerConfig c;
  c.hidden_size = 24;
  c.num_attention_heads = 4;
  c.num_hidden_layers = 2;
  c.dim_feedforward = 32;
  c.vocab_size = 40;
  c.max_sequence_length = 32;
  c.alibi = alibi;
  Rng rng(9);
  auto model = make_causal_transformer(c, rng);
  model->eval();
  NoGradGuard no_grad;
  const int64_t b = 2, t = 11, prompt = 4;
  std::vector<int64_t> ids(b * t);
  for (auto& v : ids) v = static_cast<int64_t>(rng.below(40));
  Tensor all = Tensor::from_vector_i64(ids, {b, t});
  Tensor full = model->forward(all);  // [B,T,V]

  KVCache cache(2);
  ForwardContext ctx;
  ctx.kv_cache = &cache;
  for (int64_t start = 0; start < t;) {
    const int64_t len = start == 0 ? prompt : 1;
    std::vector<int64_t> chunk;
    for (int64_t r = 0; r < b; ++r)
      for (int64_t i = start; i < start + len; ++i) chunk.push_back(ids[r * t + i]);
    Tensor step = model->forward(Tensor::from_vector_i64(chunk, {b, len}), ctx);
    Tensor want = ops::slice(full, 1, start, start + len);
    auto a = step.to_vector(), w = want.to_vector();
    ASSERT_EQ(a.size(), w.size());
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_NEAR(a[i], w[i], 1e-4) << "position " << start << " element " << i;
    start += len;
    EXPECT_EQ(cache.length(), start);
  }
}

TEST(KVCache, AlibiIncrementalMatchesFullSequence) {
  check_incremental(true);
}
TEST(KVCache, SinusoidalIncrementalMatchesFullSequence) {
  check_incremental(false);
}

TEST(KVCache, RejectsBadLayerIndex) {
  KVCache cache(1);
  EXPECT_THROW(cache.layer(1), Error);
  cache.advance(3);
  cache.clear();
  EXPECT_EQ(cache.length(), 0);
}

}  // namespace
}  // namespace fg::nn
