// Incremental decoding with the KV cache gives the same logits as re-running the whole sequence,
// for ALiBi (bias from absolute positions) and for the sinusoidal PE (positions offset).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

#include "nn/attention/causal_alibi_attn.h"
#include "nn/attention/causal_multihead_attn.h"
#include "nn/attention/single_head_attn.h"
#include "nn/causal_transformer.h"
#include "nn/init.h"
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

namespace fg::nn {
namespace {

// Each attention module on its own: feeding positions one at a time through the cache equals
// running the whole sequence (GQA and single-head variants included).
void check_module(Module& m, int64_t d) {
  m.eval();
  NoGradGuard no_grad;
  Rng rng(4);
  const int64_t b = 2, t = 7;
  std::vector<float> xs(static_cast<size_t>(b * t * d));
  for (auto& v : xs) v = static_cast<float>(rng.normal());
  Tensor x = Tensor::from_vector(xs, {b, t, d});
  const std::vector<float> full = m.forward(x).to_vector();
  KVCache cache(1);
  ForwardContext ctx;
  ctx.kv_cache = &cache;
  ctx.layer_index = 0;
  for (int64_t i = 0; i < t; ++i) {
    const std::vector<float> step = m.forward(ops::slice(x, 1, i, i + 1), ctx).to_vector();
    for (int64_t r = 0; r < b; ++r)
      for (int64_t c = 0; c < d; ++c)
        ASSERT_NEAR(step[static_cast<size_t>(r * d + c)],
                    full[static_cast<size_t>((r * t + i) * d + c)], 1e-4)
            << m.type_name() << " position " << i;
  }
}

TEST(KVCache, AttentionModulesDecodeIncrementally) {
  Rng rng(2);
  CausalAlibiAttnOptions gqa{16, 4};
  gqa.num_kv_heads = 2;
  CausalAlibiAttn alibi(gqa);
  CausalMultiheadAttn mha(CausalMultiheadAttnOptions{16, 4});
  SingleHeadAlibiAttn single(SingleHeadAlibiAttnOptions{16});
  for (Module* m : std::vector<Module*>{&alibi, &mha, &single}) {
    simple_weight_init(*m, rng);
    check_module(*m, 16);
  }
}

}  // namespace
}  // namespace fg::nn
