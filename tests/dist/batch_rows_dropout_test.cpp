// Dropout keyed by the global batch row: a rank's rows of a global batch get exactly the masks
// that the whole batch gets in one process, so results do not depend on the world size.
#include <gtest/gtest.h>

#include "tensor/ops.h"

namespace fg {
namespace {

// Rows r, r + world, r + 2*world, ... of a [B, ...] tensor.
Tensor rows_of(const Tensor& t, int64_t rank, int64_t world) {
  std::vector<float> all = t.to_vector();
  const int64_t row = t.numel() / t.size(0);
  std::vector<float> out;
  for (int64_t b = rank; b < t.size(0); b += world)
    out.insert(out.end(), all.begin() + b * row, all.begin() + (b + 1) * row);
  Shape s = t.shape();
  s[0] = static_cast<int64_t>(out.size()) / row;
  return Tensor::from_vector(out, s);
}

Tensor ramp(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = 0.01f * static_cast<float>(i % 97) - 0.4f;
  return Tensor::from_vector(v, s);
}

TEST(BatchRowsDropout, RankRowsMatchTheWholeBatch) {
  const Tensor x = ramp({6, 3, 5});
  Rng whole_rng(11);
  const Tensor whole = ops::dropout(x, 0.3f, true, whole_rng);
  for (int64_t rank = 0; rank < 2; ++rank) {
    Rng rng(11);
    const Tensor local = ops::dropout(rows_of(x, rank, 2), 0.3f, true, rng, {rank, 2, 6});
    EXPECT_EQ(local.to_vector(), rows_of(whole, rank, 2).to_vector()) << "rank " << rank;
    EXPECT_EQ(rng.state(), whole_rng.state()) << "the stream advances by the global batch";
  }
}

TEST(BatchRowsDropout, AttentionRankRowsMatchTheWholeBatch) {
  const Tensor q = ramp({4, 2, 5, 3}), k = ramp({4, 2, 5, 3}), v = ramp({4, 2, 5, 3});
  ops::AttentionOptions o;
  o.dropout = 0.25f;
  o.training = true;
  Rng whole_rng(5);
  const Tensor whole = ops::causal_attention(q, k, v, Tensor(), o, &whole_rng);
  for (int64_t rank = 0; rank < 2; ++rank) {
    Rng rng(5);
    ops::AttentionOptions lo = o;
    lo.rows = {rank, 2, 4};
    const Tensor local = ops::causal_attention(rows_of(q, rank, 2), rows_of(k, rank, 2),
                                               rows_of(v, rank, 2), Tensor(), lo, &rng);
    EXPECT_EQ(local.to_vector(), rows_of(whole, rank, 2).to_vector()) << "rank " << rank;
    EXPECT_EQ(rng.state(), whole_rng.state());
  }
}

}  // namespace
}  // namespace fg
