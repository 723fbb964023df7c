// Fused attention kernels: CPU kernel vs the double-precision reference, finite differences on the
// reference, KV-cache decoding consistency and thread-count independence.
#include <gtest/gtest.h>
#include <omp.h>

#include <cstdlib>
#include <tuple>

#include "attention_test_util.h"

namespace fg::kernels {
namespace {

using testing::all_close;
using testing::AttentionData;
using testing::Reference;
using testing::Slopes;

constexpr double kRtol = 1e-4;

void expect_matches_reference(AttentionData& d, cpu::AttentionBackwardSchedule schedule =
                                                    cpu::AttentionBackwardSchedule::Auto) {
  d.run_cpu(schedule);
  const Reference r(d);
  EXPECT_TRUE(all_close(d.out, r.out, kRtol)) << "out";
  EXPECT_TRUE(all_close(d.lse, r.lse, kRtol)) << "lse";
  EXPECT_TRUE(all_close(d.dq, r.dq, kRtol)) << "dq";
  EXPECT_TRUE(all_close(d.dk, r.dk, kRtol)) << "dk";
  EXPECT_TRUE(all_close(d.dv, r.dv, kRtol)) << "dv";
  if (!d.slopes.empty()) {
    EXPECT_TRUE(all_close(d.dslopes, r.dslopes, kRtol)) << "dslopes";
  }
}

// (T, Dh, {H, Hkv}); each case also rotates through slope kinds and dropout on/off.
using GridParam = std::tuple<int64_t, int64_t, std::pair<int64_t, int64_t>>;
class AttentionGrid : public ::testing::TestWithParam<GridParam> {};

TEST_P(AttentionGrid, CpuMatchesReference) {
  const auto [T, Dh, heads] = GetParam();
  const int64_t variant = T + Dh + heads.second;  // spreads the 6 variants over the grid
  const Slopes kinds[] = {Slopes::None, Slopes::Default, Slopes::Alt};
  const Slopes kind = kinds[variant % 3];
  AttentionParams p;
  p.dropout_p = (variant / 3) % 2 ? 0.2f : 0.0f;
  p.seed = 1234;
  p.rng_base = 99;
  AttentionData d({2, heads.first, heads.second, T, T, Dh}, p, kind, 7 + variant);
  SCOPED_TRACE(::testing::Message()
               << "slopes " << static_cast<int>(kind) << " dropout " << p.dropout_p);
  expect_matches_reference(d, variant % 2 ? cpu::AttentionBackwardSchedule::TwoPass
                                          : cpu::AttentionBackwardSchedule::PerKvHead);
}

INSTANTIATE_TEST_SUITE_P(Shapes, AttentionGrid,
                         ::testing::Combine(::testing::Values(1, 7, 64, 130),
                                            ::testing::Values(8, 48, 64),
                                            ::testing::Values(std::pair<int64_t, int64_t>{6, 6},
                                                              std::pair<int64_t, int64_t>{6, 2},
                                                              std::pair<int64_t, int64_t>{4, 1})));

// Every slope kind with and without dropout at the example model's head size.
TEST(Attention, AllSlopeAndDropoutVariantsMatchReference) {
  for (Slopes kind : {Slopes::None, Slopes::Default, Slopes::Alt}) {
    for (float drop : {0.0f, 0.1f}) {
      AttentionParams p;
      p.dropout_p = drop;
      p.seed = 5;
      AttentionData d({1, 6, 2, 70, 70, 48}, p, kind, 11);
      SCOPED_TRACE(::testing::Message() << "slopes " << static_cast<int>(kind) << " p " << drop);
      expect_matches_reference(d);
    }
  }
}

// Decoding and chunked prefill: fewer queries than keys, queries start at query_offset.
TEST(Attention, QueryOffsetMatchesReference) {
  const std::tuple<int64_t, int64_t, int64_t> cases[] = {
      {1, 130, 129}, {5, 70, 65}, {20, 84, 64}, {7, 20, 3}, {40, 50, 10}};
  for (const auto& [Tq, Tk, offset] : cases) {
    AttentionParams p;
    p.query_offset = offset;
    p.dropout_p = Tq == 5 ? 0.25f : 0.0f;
    p.seed = 3;
    AttentionData d({2, 6, 2, Tq, Tk, 48}, p, Slopes::Default, 21);
    SCOPED_TRACE(::testing::Message() << "Tq " << Tq << " Tk " << Tk << " offset " << offset);
    expect_matches_reference(d);
  }
}

// Head sizes off the multiples of 16 and past one 64-column block, up to the stack-tile limit.
TEST(Attention, OtherHeadDimsMatchReference) {
  for (int64_t Dh : {int64_t{1}, int64_t{24}, int64_t{100}, cpu::kAttentionMaxHeadDim}) {
    for (int64_t T : {2, 40}) {
      AttentionParams p;
      p.dropout_p = 0.1f;
      AttentionData d({1, 2, 1, T, T, Dh}, p, Slopes::Default, 3);
      SCOPED_TRACE(::testing::Message() << "Dh " << Dh << " T " << T);
      expect_matches_reference(d);
    }
  }
}

// Many tiles in every pass (forward 64-key tiles, backward 32x32 tiles), GQA, dropout, ALiBi.
TEST(Attention, LongSequenceMatchesReference) {
  AttentionParams p;
  p.dropout_p = 0.1f;
  p.seed = 8;
  AttentionData d({1, 4, 2, 333, 333, 48}, p, Slopes::Default, 12);
  expect_matches_reference(d);
}

// The model's longest sequence; ~6 s in the double reference, so it runs only with FG_SLOW_TESTS=1.
TEST(AttentionSlow, MaxSequenceLengthMatchesReference) {
  if (std::getenv("FG_SLOW_TESTS") == nullptr) GTEST_SKIP() << "set FG_SLOW_TESTS=1 to run";
  AttentionParams p;
  p.dropout_p = 0.1f;
  p.seed = 3;
  AttentionData d({1, 2, 1, 2048, 2048, 48}, p, Slopes::Default, 5);
  expect_matches_reference(d);
}

TEST(Attention, NonCausalMatchesReference) {
  AttentionParams p;
  p.causal = false;
  AttentionData d({1, 4, 2, 33, 45, 16}, p, Slopes::Default, 8);
  expect_matches_reference(d);
}

TEST(Attention, ExplicitScaleIsUsed) {
  AttentionParams p;
  p.scale = 0.37f;
  AttentionData d({1, 2, 2, 20, 20, 24}, p, Slopes::None, 4);
  expect_matches_reference(d);
}

// The kept fraction is 1 - p, and the mask depends on the counter base.
TEST(Attention, DropoutMaskStatisticsAndStream) {
  AttentionParams p;
  p.dropout_p = 0.3f;
  p.seed = 77;
  int64_t kept = 0;
  const int64_t n = 200000;
  for (int64_t c = 0; c < n; ++c) kept += attention_keep(p, static_cast<uint64_t>(c));
  EXPECT_NEAR(static_cast<double>(kept) / n, 0.7, 0.005);

  AttentionData a({1, 2, 2, 16, 16, 8}, p, Slopes::None, 1);
  a.run_cpu();
  AttentionData b = a;
  b.p.rng_base = 1000;
  b.run_cpu();
  EXPECT_NE(a.out, b.out);
}

}  // namespace
}  // namespace fg::kernels
