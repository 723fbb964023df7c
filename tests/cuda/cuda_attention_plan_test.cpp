// The CUDA attention kernels' tiling plan (kernels/cuda/cuda_attention_plan.h), checked on the
// host: a sequential emulation of the kernels' loop structure (row tiles per block, streamed
// tiles, the causal tile bounds key_end / query_begin, the online softmax, the dQ and dK/dV
// passes, the dslopes partials) built from the plan's own functions, against the double-precision
// reference, for the f32 kernels' tiles and for the bf16 kernels' (64 x 64, with their operands
// rounded to bf16 where the tensor cores take them), and the bf16 kernels' shared-memory layout
// (WMMA's alignment and stride rules, the sizes). This tests the plan and the math, not CUDA: it
// runs (never skips) on machines without a GPU. The kernels' device code is checked by
// CudaBackendTest on a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "attention_case.h"
#include "core/error.h"
#include "core/rng.h"
#include "kernels/cpu/half.h"
#include "kernels/cuda/cuda_attention_plan.h"
#include "kernels/ref/attention.h"
#include "op_table.h"

namespace fg::kernels::cuda::attention_plan {
namespace {

// The tiles a kernel family uses and whether its tensor-core operands are bf16.
struct Tiles {
  int64_t rows, cols;  // rows a block owns, streamed tile
  bool bf16;
  float operand(float x) const {  // x as the products see it
    return bf16 ? cpu::host::bf16_to_f32(cpu::host::f32_to_bf16(x)) : x;
  }
};
constexpr Tiles kF32Tiles{kRowTile, kLaneTile, false};
constexpr Tiles kBf16Tiles{bf16::kRowTile, bf16::kColTile, true};

struct Problem {
  AttentionShape s;
  AttentionParams p;
  std::vector<float> q, k, v, slopes, dout;
  const float* sl() const { return slopes.empty() ? nullptr : slopes.data(); }
  int64_t kv_row(int64_t b, int64_t h) const { return b * s.Hkv + h / (s.H / s.Hkv); }
  float dot(const float* a, const float* b) const {
    float acc = 0;
    for (int64_t d = 0; d < s.Dh; ++d) acc += a[d] * b[d];
    return acc;
  }
};

// The forward kernel's loops for every block, sequentially. Rows past Tq are skipped (the kernel
// computes them and stores nothing).
void emulate_forward(const Problem& pr, const Tiles& tl, std::vector<float>& out,
                     std::vector<float>& lse) {
  const AttentionShape& s = pr.s;
  const float scale = attention_scale(s, pr.p), keep = attention_keep_scale(pr.p);
  for (int64_t bh = 0; bh < s.B * s.H; ++bh) {
    const int64_t b = bh / s.H, h = bh % s.H;
    const float* kh = pr.k.data() + pr.kv_row(b, h) * s.Tk * s.Dh;
    const float* vh = pr.v.data() + pr.kv_row(b, h) * s.Tk * s.Dh;
    const float slope = pr.sl() ? pr.slopes[h] : 0.f;
    for (int64_t i0 = 0; i0 < s.Tq; i0 += tl.rows) {
      const int64_t end = key_end(s, pr.p, i0, tl.rows);
      for (int64_t i = i0; i < std::min(i0 + tl.rows, s.Tq); ++i) {
        const float* qi = pr.q.data() + (bh * s.Tq + i) * s.Dh;
        OnlineRow row;
        std::vector<float> acc(s.Dh, 0.f), score(tl.cols), P(tl.cols);
        for (int64_t j0 = 0; j0 < end; j0 += tl.cols) {
          float tile_max = -INFINITY, tile_sum = 0;
          for (int lane = 0; lane < tl.cols; ++lane) {
            const int64_t j = j0 + lane;
            score[lane] = visible(s, pr.p, i, j)
                              ? scale * pr.dot(qi, kh + j * s.Dh) + slope * relative(pr.p, i, j)
                              : -INFINITY;
            tile_max = std::max(tile_max, score[lane]);
          }
          const float alpha = online_rescale(row, tile_max);
          for (int lane = 0; lane < tl.cols; ++lane) {
            const int64_t j = j0 + lane;
            const bool vis = visible(s, pr.p, i, j);
            const float e = vis ? std::exp(score[lane] - row.max) : 0.f;
            tile_sum += e;
            P[lane] = tl.operand(vis ? e * dropout_factor(s, pr.p, b, h, i, j, keep) : 0.f);
          }
          row.sum += tile_sum;
          for (int64_t d = 0; d < s.Dh; ++d) {
            acc[d] *= alpha;
            for (int lane = 0; lane < tl.cols && j0 + lane < s.Tk; ++lane)
              acc[d] += P[lane] * vh[(j0 + lane) * s.Dh + d];
          }
        }
        for (int64_t d = 0; d < s.Dh; ++d) out[(bh * s.Tq + i) * s.Dh + d] = acc[d] / row.sum;
        lse[bh * s.Tq + i] = row.max + std::log(row.sum);
      }
    }
  }
}

struct Grads {
  std::vector<float> dq, dk, dv, dslopes;
};

// dS of (i, j) and P * drop, as the backward kernels compute them; dout as the products see it.
float grad_score(const Problem& pr, const std::vector<float>& dout, int64_t b, int64_t h, int64_t i,
                 int64_t j, float row_lse, float row_D, float* p_drop) {
  const AttentionShape& s = pr.s;
  const int64_t bh = b * s.H + h, kv = pr.kv_row(b, h);
  const float* qi = pr.q.data() + (bh * s.Tq + i) * s.Dh;
  const float* gi = dout.data() + (bh * s.Tq + i) * s.Dh;
  const float* kj = pr.k.data() + (kv * s.Tk + j) * s.Dh;
  const float* vj = pr.v.data() + (kv * s.Tk + j) * s.Dh;
  const float slope = pr.sl() ? pr.slopes[h] : 0.f;
  const float P =
      std::exp(attention_scale(s, pr.p) * pr.dot(qi, kj) + slope * relative(pr.p, i, j) - row_lse);
  const float drop = dropout_factor(s, pr.p, b, h, i, j, attention_keep_scale(pr.p));
  *p_drop = P * drop;
  return P * (drop * pr.dot(gi, vj) - row_D);
}

// The three backward launches' loops: D, then dQ (+ dslopes partials) per (b, h, query tile),
// then dK and dV per (b, kv head, key tile) over the query heads of the group. With bf16 tiles
// dout, dS and P * drop are rounded as the tensor cores' operands (D uses the rounded dout).
Grads emulate_backward(const Problem& pr, const Tiles& tl, const std::vector<float>& out,
                       const std::vector<float>& lse) {
  const AttentionShape& s = pr.s;
  const float scale = attention_scale(s, pr.p);
  const int64_t q_tiles = ceil_div(s.Tq, tl.rows);
  std::vector<float> dout = pr.dout;
  for (float& x : dout) x = tl.operand(x);
  std::vector<float> D(s.B * s.H * s.Tq), partial(s.B * s.H * q_tiles, 0.f);
  for (size_t r = 0; r < D.size(); ++r)
    D[r] = pr.dot(dout.data() + r * s.Dh, out.data() + r * s.Dh);
  Grads g{std::vector<float>(pr.q.size()), std::vector<float>(pr.k.size()),
          std::vector<float>(pr.v.size()), std::vector<float>(s.H, 0.f)};
  for (int64_t bh = 0; bh < s.B * s.H; ++bh) {
    const int64_t b = bh / s.H, h = bh % s.H, kv = pr.kv_row(b, h);
    for (int64_t t = 0; t < q_tiles; ++t) {
      const int64_t i0 = t * tl.rows, end = key_end(s, pr.p, i0, tl.rows);
      for (int64_t i = i0; i < std::min(i0 + tl.rows, s.Tq); ++i) {
        std::vector<float> acc(s.Dh, 0.f);
        for (int64_t j0 = 0; j0 < end; j0 += tl.cols)
          for (int64_t j = j0; j < j0 + tl.cols; ++j) {
            if (!visible(s, pr.p, i, j)) continue;
            float unused;
            const float ds =
                grad_score(pr, dout, b, h, i, j, lse[bh * s.Tq + i], D[bh * s.Tq + i], &unused);
            partial[bh * q_tiles + t] += ds * relative(pr.p, i, j);
            const float ds_op = tl.operand(ds);
            for (int64_t d = 0; d < s.Dh; ++d) acc[d] += ds_op * pr.k[(kv * s.Tk + j) * s.Dh + d];
          }
        for (int64_t d = 0; d < s.Dh; ++d) g.dq[(bh * s.Tq + i) * s.Dh + d] = scale * acc[d];
      }
    }
  }
  const int64_t group = s.H / s.Hkv;
  for (int64_t bkv = 0; bkv < s.B * s.Hkv; ++bkv) {
    const int64_t b = bkv / s.Hkv, hkv = bkv % s.Hkv;
    for (int64_t j0 = 0; j0 < s.Tk; j0 += tl.rows)
      for (int64_t j = j0; j < std::min(j0 + tl.rows, s.Tk); ++j) {
        std::vector<float> dk(s.Dh, 0.f), dv(s.Dh, 0.f);
        for (int64_t h = hkv * group; h < (hkv + 1) * group; ++h) {
          const int64_t bh = b * s.H + h;
          for (int64_t i0 = query_begin(pr.p, j0, tl.cols); i0 < s.Tq; i0 += tl.cols)
            for (int64_t i = i0; i < i0 + tl.cols; ++i) {
              if (!visible(s, pr.p, i, j)) continue;
              float pd;
              const float ds = tl.operand(
                  grad_score(pr, dout, b, h, i, j, lse[bh * s.Tq + i], D[bh * s.Tq + i], &pd));
              pd = tl.operand(pd);
              for (int64_t d = 0; d < s.Dh; ++d) {
                dv[d] += pd * dout[(bh * s.Tq + i) * s.Dh + d];
                dk[d] += ds * pr.q[(bh * s.Tq + i) * s.Dh + d];
              }
            }
        }
        for (int64_t d = 0; d < s.Dh; ++d) {
          g.dk[(bkv * s.Tk + j) * s.Dh + d] = scale * dk[d];
          g.dv[(bkv * s.Tk + j) * s.Dh + d] = dv[d];
        }
      }
  }
  for (int64_t h = 0; h < s.H; ++h)
    for (int64_t b = 0; b < s.B; ++b)
      for (int64_t t = 0; t < q_tiles; ++t) g.dslopes[h] += partial[(b * s.H + h) * q_tiles + t];
  return g;
}

// q, k, v are rounded to bf16 for bf16 tiles: the kernels' inputs, which the reference then sees.
Problem make_problem(const test::AttentionCase& c, const Tiles& tl) {
  Problem pr;
  pr.s = c.s;
  pr.p = c.params(7);
  const AttentionShape& s = c.s;
  Rng rng(5);
  auto fill = [&](std::vector<float>& x, size_t n) {
    x.resize(n);
    for (float& e : x) e = static_cast<float>(rng.normal());
  };
  fill(pr.q, s.B * s.H * s.Tq * s.Dh);
  fill(pr.k, s.B * s.Hkv * s.Tk * s.Dh);
  fill(pr.v, s.B * s.Hkv * s.Tk * s.Dh);
  fill(pr.dout, s.B * s.H * s.Tq * s.Dh);
  for (std::vector<float>* x : {&pr.q, &pr.k, &pr.v})
    for (float& e : *x) e = tl.operand(e);
  if (c.slopes)
    for (int64_t h = 0; h < s.H; ++h) pr.slopes.push_back(0.5f / float(h + 1));
  return pr;
}

template <class F>
std::vector<double> widen(const std::vector<F>& x) {
  return std::vector<double>(x.begin(), x.end());
}

void expect_near(const std::vector<float>& got, const std::vector<double>& want, double tol,
                 const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  double scale = 1;
  for (double w : want) scale = std::max(scale, std::abs(w));
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * scale) << what << " at " << i;
}

// The emulated kernels of `tl` against the reference on the same (for bf16: rounded) inputs: out
// within fwd_tol, lse within 1e-5 (f32 softmax statistics either way), the gradients within
// bwd_tol, all relative to the largest reference value.
void expect_emulation_matches(const test::AttentionCase& c, const Tiles& tl, double fwd_tol,
                              double bwd_tol) {
  const Problem pr = make_problem(c, tl);
  const AttentionShape& s = pr.s;
  std::vector<float> out(pr.q.size()), lse(s.B * s.H * s.Tq);
  emulate_forward(pr, tl, out, lse);
  std::vector<double> q = widen(pr.q), k = widen(pr.k), v = widen(pr.v), sl = widen(pr.slopes),
                      go = widen(pr.dout);
  std::vector<double> want_out(q.size()), want_lse(lse.size());
  const double* slp = c.slopes ? sl.data() : nullptr;
  ref::attention_forward<double>(s, pr.p, q.data(), k.data(), v.data(), slp, want_out.data(),
                                 want_lse.data());
  const std::string name = std::string(c.name) + (tl.bf16 ? " (bf16 tiles)" : " (f32 tiles)");
  expect_near(out, want_out, fwd_tol, name + ": out");
  expect_near(lse, want_lse, 1e-5, name + ": lse");

  const Grads g = emulate_backward(pr, tl, out, lse);
  std::vector<double> dq(q.size()), dk(k.size()), dv(v.size()), dsl(s.H);
  ref::attention_backward<double>(s, pr.p, q.data(), k.data(), v.data(), slp, go.data(), dq.data(),
                                  dk.data(), dv.data(), c.slopes ? dsl.data() : nullptr);
  expect_near(g.dq, dq, bwd_tol, name + ": dq");
  expect_near(g.dk, dk, bwd_tol, name + ": dk");
  expect_near(g.dv, dv, bwd_tol, name + ": dv");
  if (c.slopes) expect_near(g.dslopes, dsl, bwd_tol, name + ": dslopes");
}

TEST(CudaAttentionPlan, EmulatedKernelsMatchTheReference) {
  const test::AttentionCase cases[] = {
      {"Dh 48, 3 query tiles, 2 key tiles", {1, 2, 2, 40, 40, 48}},
      {"grouped-query, Dh 32", {2, 4, 2, 33, 33, 32}},
      {"KV offset crossing a key tile", {1, 2, 1, 5, 70, 16}, true, 0, true, 65},
      {"Tk > Tq + offset: keys nobody sees", {1, 1, 1, 20, 50, 8}, true, 0, true, 3},
      {"not causal, no ALiBi", {1, 2, 1, 17, 45, 8}, false, 0, false},
      {"dropout with global rows", {2, 2, 2, 35, 35, 8}, true, 0.3f},
  };
  for (const test::AttentionCase& c : cases) expect_emulation_matches(c, kF32Tiles, 1e-5, 1e-4);
}

// The bf16 kernels' 64 x 64 tiles, with P * drop, dout and dS rounded to bf16 as the tensor cores
// take them: within the op table's bf16 tolerance, twice that for gradients (docs/engine.md).
// dslopes needs the factor most: dout's rounding moves every dS a little and the positions (up
// to 130 here) weight the sum.
TEST(CudaAttentionPlan, EmulatedBf16KernelsMatchTheReference) {
  const test::AttentionCase cases[] = {
      {"Dh 48, 3 query and key tiles", {1, 2, 2, 130, 130, 48}},
      {"grouped-query, Dh 40 (padded to 48)", {2, 4, 2, 70, 70, 40}},
      {"KV offset crossing a key tile", {1, 2, 1, 5, 140, 16}, true, 0, true, 135},
      {"Tk > Tq + offset: keys nobody sees", {1, 1, 1, 20, 150, 8}, true, 0, true, 3},
      {"not causal, no ALiBi", {1, 2, 1, 17, 100, 8}, false, 0, false},
      {"dropout with global rows", {2, 2, 2, 70, 70, 8}, true, 0.3f},
  };
  for (const test::AttentionCase& c : cases)
    expect_emulation_matches(c, kBf16Tiles, test::kBf16Tol, 2 * test::kBf16Tol);
}

// Every visible (query, key) pair lies inside the tiles the plan streams, from both sides, for
// both kernel families' tiles (row blocks of tl.rows queries or keys, streamed tiles of tl.cols).
TEST(CudaAttentionPlan, CausalTileBoundsCoverEveryVisiblePair) {
  for (const Tiles& tl : {kF32Tiles, kBf16Tiles})
    for (int64_t Tq : {1, 15, 16, 17, 33, 64, 65, 130})
      for (int64_t Tk : {1, 31, 32, 33, 100, 129})
        for (int64_t offset : {int64_t(0), int64_t(5), int64_t(40), int64_t(70)}) {
          AttentionShape s{1, 1, 1, Tq, Tk, 8};
          AttentionParams p;
          p.query_offset = offset;
          for (int64_t i = 0; i < Tq; ++i)
            for (int64_t j = 0; j < Tk; ++j) {
              if (!visible(s, p, i, j)) continue;
              const int64_t i0 = i / tl.rows * tl.rows, j0 = j / tl.rows * tl.rows;
              ASSERT_LT(j, key_end(s, p, i0, tl.rows)) << Tq << " " << Tk << " " << offset;
              ASSERT_GE(i, query_begin(p, j0, tl.cols)) << Tq << " " << Tk << " " << offset;
              ASSERT_EQ(query_begin(p, j0, tl.cols) % tl.cols, 0);
            }
        }
}

// The bf16 kernels' shared memory for every head dim: WMMA's rules (ldm a multiple of 8 bf16 or
// 4 f32 elements, every fragment pointer 32-byte aligned: region offsets, per-warp strips and
// 16-row steps), regions in order without overlap, the accumulator staging within the score
// strips, and the totals within an A100's 163 KiB (the kernels opt in past 48 KiB).
TEST(CudaAttentionPlan, Bf16SharedMemoryLayoutKeepsWmmaRulesAndFits) {
  using namespace bf16;
  EXPECT_EQ(kScoreStride % 4, 0);
  EXPECT_EQ(kProbStride % 8, 0);
  EXPECT_EQ(kMma * kScoreStride * 4 % kAlign, 0u);  // the dP strip after S
  EXPECT_EQ(kMma * kProbStride * 2 % kAlign, 0u);   // the dS strip after P * drop
  for (int64_t Dh = 1; Dh <= kMaxHeadDim; ++Dh) {
    const int Dp = padded_head_dim(Dh);
    ASSERT_EQ(Dp % kMma, 0);
    ASSERT_GE(Dp, Dh);
    ASSERT_LT(Dp - Dh, kMma);
    ASSERT_EQ(operand_stride(Dh) % 8, 0) << Dh;
    ASSERT_EQ(acc_stride(Dh) % 4, 0) << Dh;
    // A warp's strip starts kMma rows down an operand tile; a kMma-row step of a tile likewise.
    ASSERT_EQ(size_t(kMma) * operand_stride(Dh) * 2 % kAlign, 0u) << Dh;
    for (Bf16Kernel kernel : {Bf16Kernel::Forward, Bf16Kernel::Dq, Bf16Kernel::Dkdv}) {
      const SmemLayout l = smem_layout(kernel, Dh);
      const size_t offsets[] = {l.rows_a, l.rows_b, l.cols_a,    l.cols_b, l.scores,
                                l.probs,  l.acc,    l.col_stats, l.bytes};
      for (size_t i = 0; i + 1 < std::size(offsets); ++i) {
        ASSERT_EQ(offsets[i] % kAlign, 0u) << Dh;
        ASSERT_LE(offsets[i], offsets[i + 1]) << Dh;
      }
      const size_t operand = size_t(bf16::kRowTile) * operand_stride(Dh) * 2;
      ASSERT_GE(l.cols_a - l.rows_a, operand) << Dh;
      ASSERT_GE(l.cols_b - l.cols_a, size_t(kColTile) * operand_stride(Dh) * 2) << Dh;
      ASSERT_GE(l.scores - l.cols_b, size_t(kColTile) * operand_stride(Dh) * 2) << Dh;
      ASSERT_EQ(warp_scores_bytes(kernel) % kAlign, 0u);
      ASSERT_EQ(warp_probs_bytes(kernel) % kAlign, 0u);
      ASSERT_GE(l.probs - l.scores,
                size_t(bf16::kWarps) * score_strips(kernel) * kMma * kScoreStride * 4);
      ASSERT_GE(l.acc - l.probs,
                size_t(bf16::kWarps) * prob_strips(kernel) * kMma * kProbStride * 2);
      if (kernel == Bf16Kernel::Forward) {
        ASSERT_EQ(l.cols_a - l.rows_a, align_up(operand)) << "no dout tile";
        ASSERT_EQ(warp_acc_bytes(Dh) % kAlign, 0u);
        ASSERT_GE(l.col_stats - l.acc, size_t(bf16::kWarps) * kMma * acc_stride(Dh) * 4) << Dh;
      } else {
        ASSERT_GE(l.cols_a - l.rows_b, operand) << Dh;
        // dq, dk, dv rows are staged in the warp's two score strips.
        ASSERT_LE(size_t(kMma) * acc_stride(Dh) * 4, warp_scores_bytes(kernel)) << Dh;
      }
      if (kernel == Bf16Kernel::Dkdv) {
        ASSERT_GE(l.bytes - l.col_stats, size_t(2) * kColTile * 4);
      }
      ASSERT_LE(l.bytes, size_t(163) * 1024) << Dh;
    }
  }
  // The example model's head dim: small enough for several blocks per SM.
  EXPECT_LE(smem_layout(Bf16Kernel::Forward, 48).bytes, size_t(64) * 1024);
}

// The bf16 backward's slope partials fit the f32 kernels' workspace, which both precisions get.
TEST(CudaAttentionPlan, Bf16BackwardFitsTheF32Workspace) {
  for (int64_t T : {1, 16, 17, 64, 65, 1000}) {
    const AttentionShape s{2, 3, 1, T, T, 48};
    EXPECT_LE(s.B * s.H * s.Tq + bf16::slope_partials(s), backward_workspace_floats(s)) << T;
  }
}

TEST(CudaAttentionPlan, SharedMemoryFitsAnH100AtTheLargestHeadDim) {
  // 227 KiB of shared memory per block on sm_90 (163 KiB on sm_80); the kernels opt in past 48.
  for (size_t floats : {forward_smem_floats(kMaxHeadDim), dq_smem_floats(kMaxHeadDim),
                        dkdv_smem_floats(kMaxHeadDim)})
    EXPECT_LE(floats * sizeof(float), size_t(163) * 1024);
  EXPECT_LE(forward_smem_floats(kMaxHeadDim) * sizeof(float), size_t(48) * 1024);
  EXPECT_EQ(padded_stride(48) % 2, 1);
  EXPECT_EQ(padded_stride(7), 7);
}

TEST(CudaAttentionPlan, LaunchLimitsAreRefusedNamingTheShape) {
  const AttentionShape fine{8, 6, 6, 512, 512, 48};
  EXPECT_NO_THROW(check_attention_shape(fine));
  const AttentionShape too_long{1, 1, 1, int64_t(65535) * kRowTile + 1, 16, 48};
  try {
    check_attention_shape(too_long);
    FAIL() << "no refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Tq=1048561"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fg::kernels::cuda::attention_plan
