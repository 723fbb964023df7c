// The bf16 attention kernels (kernels/cpu/attention.h, attention_{forward,backward}_bf16): against
// the double reference on the same bf16-rounded inputs and against the f32 kernel; the dropout
// mask against the f32 kernel's; the two backward schedules bitwise equal. Runs per ISA copy
// (FORGATHER_ISA, tests/kernels/CMakeLists.txt); copies built without AVX512-BF16 have no bf16
// kernel and skip.
#include <gtest/gtest.h>

#include "attention_test_util.h"
#include "kernels/cpu/half.h"

namespace fg::kernels::testing {
namespace {

using BF16Forward = decltype(cpu::KernelTable::attention_forward_bf16);

BF16Forward bf16_forward() {
  return kernels_under_test().attention_forward_bf16;
}

// x rounded to bf16: the raw bits for the kernel, and x replaced by the rounded values.
std::vector<uint16_t> round_to_bf16(std::vector<float>& x) {
  std::vector<uint16_t> bits(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    bits[i] = cpu::host::f32_to_bf16(x[i]);
    x[i] = cpu::host::bf16_to_f32(bits[i]);
  }
  return bits;
}

struct Bf16Case {
  AttentionShape s;  // B, H, Hkv, Tq, Tk, Dh
  bool causal = true;
  int64_t query_offset = 0;
  float dropout = 0;
};

class AttentionBf16Grid : public ::testing::TestWithParam<Bf16Case> {};

TEST_P(AttentionBf16Grid, ForwardMatchesReferenceOnRoundedInputs) {
  const BF16Forward fwd = bf16_forward();
  if (fwd == nullptr) GTEST_SKIP() << "this ISA copy has no bf16 attention (no AVX512-BF16)";
  const Bf16Case& c = GetParam();
  AttentionParams p;
  p.causal = c.causal;
  p.query_offset = c.query_offset;
  p.dropout_p = c.dropout;
  p.seed = 7;
  AttentionData d(c.s, p, Slopes::Default, 21);
  const auto qb = round_to_bf16(d.q), kb = round_to_bf16(d.k), vb = round_to_bf16(d.v);
  std::vector<float> out(d.q.size()), lse(c.s.B * c.s.H * c.s.Tq);
  fwd(c.s, p, qb.data(), kb.data(), vb.data(), d.slopes_ptr(), out.data(), lse.data());
  d.run_cpu();  // the f32 kernel on the same rounded inputs
  const Reference ref(d);
  // Products of bf16 values are exact and summed in f32, so lse (from the f32 scores) is as
  // close as the f32 kernel's; out also carries P rounded to bf16 (2^-9 relative) for PV.
  EXPECT_TRUE(all_close(lse, ref.lse, 1e-5));
  EXPECT_TRUE(all_close(out, ref.out, 4e-3));
  EXPECT_TRUE(all_close(out, d.out, 4e-3));
  EXPECT_FALSE(out == d.out) << "bf16 run gave the f32 kernel's bits: P was not rounded";

  // Backward: dout, P and dS are rounded to bf16 as operands of the products (each 2^-9
  // relative); the gradients are checked against their tensor's scale.
  const auto& kt = kernels_under_test();
  std::vector<float> ws(kt.attention_backward_workspace_size(c.s));
  std::vector<float> dq(d.q.size()), dk(d.k.size()), dv(d.v.size()), dsl(c.s.H);
  kt.attention_backward_bf16(c.s, p, qb.data(), kb.data(), vb.data(), d.slopes_ptr(), out.data(),
                             lse.data(), d.dout.data(), dq.data(), dk.data(), dv.data(), dsl.data(),
                             ws.data(), cpu::AttentionBackwardSchedule::TwoPass);
  EXPECT_TRUE(all_close(dq, ref.dq, 1e-2));
  EXPECT_TRUE(all_close(dk, ref.dk, 1e-2));
  EXPECT_TRUE(all_close(dv, ref.dv, 1e-2));
  // dslopes = sum dS_ij (j - i) cancels heavily (sum_j dS_ij = 0 when out = P V / l exactly);
  // the forward's out carries P rounded to bf16, which leaves a row residual that the weights
  // j - i (up to T) amplify: 3.6% of the scale in the non-causal T = 70 case, 0.2% with the f32
  // out (measured), so 5e-2 here.
  EXPECT_TRUE(all_close(dsl, ref.dslopes, 5e-2));
  // The other schedule gives the same bits (one thread per output, the same order).
  std::vector<float> dq2(dq.size()), dk2(dk.size()), dv2(dv.size()), dsl2(dsl.size());
  kt.attention_backward_bf16(c.s, p, qb.data(), kb.data(), vb.data(), d.slopes_ptr(), out.data(),
                             lse.data(), d.dout.data(), dq2.data(), dk2.data(), dv2.data(),
                             dsl2.data(), ws.data(), cpu::AttentionBackwardSchedule::PerKvHead);
  EXPECT_EQ(dq, dq2);
  EXPECT_EQ(dk, dk2);
  EXPECT_EQ(dv, dv2);
  EXPECT_EQ(dsl, dsl2);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionBf16Grid,
    ::testing::Values(Bf16Case{{1, 2, 2, 3, 3, 2}},                      // tiny, Dh = one pair
                      Bf16Case{{2, 4, 2, 37, 37, 64}},                   // GQA, 64-query tiles
                      Bf16Case{{1, 2, 1, 100, 100, 32}, true, 0, 0.2f},  // dropout
                      Bf16Case{{1, 2, 2, 20, 45, 30}, true, 25},         // KV-cache offset, Dh % 16
                      Bf16Case{{1, 1, 1, 70, 71, 16}, false},            // non-causal, odd Tk
                      Bf16Case{{1, 3, 3, 130, 130, 128}},                // several key tiles
                      Bf16Case{{1, 1, 1, 17, 17, 256}},                  // the largest head_dim
                      Bf16Case{{1, 2, 2, 2, 9, 8}, true, 7}));           // decoding (Tq <= 2)

// With q = k = 0 (uniform scores) and v the identity, out[i][j] = P[i][j] * drop / l is zero
// exactly where the mask dropped key j: the bf16 mask must equal the f32 kernel's.
TEST(AttentionBf16, DropoutMaskEqualsF32) {
  const BF16Forward fwd = bf16_forward();
  if (fwd == nullptr) GTEST_SKIP() << "this ISA copy has no bf16 attention (no AVX512-BF16)";
  const AttentionShape s{2, 2, 1, 40, 40, 64};
  AttentionParams p;
  p.dropout_p = 0.3f;
  p.seed = 1234;
  p.rng_base = 99;
  const std::vector<float> q(s.B * s.H * s.Tq * s.Dh, 0.0f), k(s.B * s.Hkv * s.Tk * s.Dh, 0.0f);
  std::vector<float> v(k.size(), 0.0f);
  for (int64_t r = 0; r < s.B * s.Hkv * s.Tk; ++r) v[r * s.Dh + r % s.Tk] = 1.0f;
  std::vector<float> vq = v, qq = q, kq = k;
  const auto qb = round_to_bf16(qq), kb = round_to_bf16(kq), vb = round_to_bf16(vq);
  std::vector<float> out32(q.size()), out16(q.size()), lse(s.B * s.H * s.Tq);
  kernels_under_test().attention_forward(s, p, q.data(), k.data(), v.data(), nullptr, out32.data(),
                                         lse.data());
  fwd(s, p, qb.data(), kb.data(), vb.data(), nullptr, out16.data(), lse.data());
  int64_t kept = 0, dropped = 0;
  for (int64_t r = 0; r < s.B * s.H * s.Tq; ++r)
    for (int64_t j = 0; j <= r % s.Tq; ++j) {
      const size_t x = r * s.Dh + j;
      ASSERT_EQ(out32[x] == 0.0f, out16[x] == 0.0f) << "row " << r << " key " << j;
      (out32[x] == 0.0f ? dropped : kept) += 1;
    }
  EXPECT_GT(kept, 0);
  EXPECT_GT(dropped, 0);
}

}  // namespace
}  // namespace fg::kernels::testing
