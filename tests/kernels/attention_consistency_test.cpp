// Properties of the fused CPU attention beyond matching the reference: token-by-token decoding with
// query_offset reproduces the full sequence (KV-cache generation with ALiBi), and results are
// bitwise independent of the OpenMP thread count.
#include <gtest/gtest.h>
#include <omp.h>

#include "attention_test_util.h"

namespace fg::kernels {
namespace {

using testing::all_close;
using testing::AttentionData;
using testing::Slopes;

// Copies rows [t0, t1) of every (b, head) slice of x [B,heads,T,Dh] into [B,heads,t1-t0,Dh].
std::vector<float> slice_rows(const std::vector<float>& x, int64_t B, int64_t heads, int64_t T,
                              int64_t Dh, int64_t t0, int64_t t1) {
  std::vector<float> y;
  for (int64_t bh = 0; bh < B * heads; ++bh)
    y.insert(y.end(), x.begin() + (bh * T + t0) * Dh, x.begin() + (bh * T + t1) * Dh);
  return y;
}

// Runs the sequence in chunks of `chunk` queries against the growing key prefix.
void expect_chunked_matches_full(int64_t chunk) {
  const AttentionShape full{2, 6, 2, 70, 70, 48};
  AttentionData d(full, AttentionParams{}, Slopes::Default, 42);
  d.run_cpu();
  for (int64_t t0 = 0; t0 < full.Tq; t0 += chunk) {
    const int64_t t1 = std::min(full.Tq, t0 + chunk);
    const AttentionShape s{full.B, full.H, full.Hkv, t1 - t0, t1, full.Dh};
    AttentionParams p;
    p.query_offset = t0;
    const auto q = slice_rows(d.q, full.B, full.H, full.Tq, full.Dh, t0, t1);
    const auto k = slice_rows(d.k, full.B, full.Hkv, full.Tk, full.Dh, 0, t1);
    const auto v = slice_rows(d.v, full.B, full.Hkv, full.Tk, full.Dh, 0, t1);
    std::vector<float> out(q.size()), lse(full.B * full.H * (t1 - t0));
    testing::kernels_under_test().attention_forward(s, p, q.data(), k.data(), v.data(),
                                                    d.slopes.data(), out.data(), lse.data());
    SCOPED_TRACE(::testing::Message() << "chunk " << chunk << " at " << t0);
    EXPECT_TRUE(all_close(out, slice_rows(d.out, full.B, full.H, full.Tq, full.Dh, t0, t1), 1e-5));
    EXPECT_TRUE(all_close(lse, slice_rows(d.lse, full.B, full.H, full.Tq, 1, t0, t1), 1e-5));
  }
}

TEST(AttentionConsistency, TokenByTokenDecodingMatchesFullSequence) {
  expect_chunked_matches_full(1);
}

TEST(AttentionConsistency, ChunkedPrefillMatchesFullSequence) {
  expect_chunked_matches_full(17);
}

// Restores the OpenMP thread count when a test ends.
struct ThreadCount {
  int saved = omp_get_max_threads();
  explicit ThreadCount(int n) { omp_set_num_threads(n); }
  ~ThreadCount() { omp_set_num_threads(saved); }
};

AttentionData run_with_threads(int threads) {
  ThreadCount guard(threads);
  AttentionParams p;
  p.dropout_p = 0.1f;
  p.seed = 9;
  AttentionData d({2, 6, 2, 150, 150, 48}, p, Slopes::Default, 13);
  d.run_cpu();
  return d;
}

TEST(AttentionConsistency, IdenticalWithOneAndTwoThreads) {
  const AttentionData one = run_with_threads(1);
  const AttentionData two = run_with_threads(2);
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.lse, two.lse);
  EXPECT_EQ(one.dq, two.dq);
  EXPECT_EQ(one.dk, two.dk);
  EXPECT_EQ(one.dv, two.dv);
  EXPECT_EQ(one.dslopes, two.dslopes);
}

// The two backward schedules must agree bit for bit (Auto picks by thread count).
TEST(AttentionConsistency, BackwardSchedulesAreBitwiseIdentical) {
  using cpu::AttentionBackwardSchedule;
  const AttentionShape shapes[] = {
      {2, 6, 2, 150, 150, 48}, {1, 4, 1, 37, 37, 8}, {2, 6, 6, 5, 70, 64}};
  for (const AttentionShape& s : shapes) {
    AttentionParams p;
    p.dropout_p = 0.1f;
    p.query_offset = s.Tk - s.Tq;
    AttentionData two(s, p, Slopes::Default, 5), per_head(s, p, Slopes::Default, 5);
    two.run_cpu(AttentionBackwardSchedule::TwoPass);
    per_head.run_cpu(AttentionBackwardSchedule::PerKvHead);
    SCOPED_TRACE(::testing::Message() << "Tq " << s.Tq << " Hkv " << s.Hkv);
    EXPECT_EQ(two.dq, per_head.dq);
    EXPECT_EQ(two.dk, per_head.dk);
    EXPECT_EQ(two.dv, per_head.dv);
    EXPECT_EQ(two.dslopes, per_head.dslopes);
  }
}

}  // namespace
}  // namespace fg::kernels
