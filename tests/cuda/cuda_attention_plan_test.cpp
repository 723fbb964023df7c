// The CUDA attention kernels' tiling plan (kernels/cuda/cuda_attention_plan.h), checked on the
// host: a sequential emulation of the kernels' loop structure (row tiles per block, streamed
// tiles of kLaneTile, the causal tile bounds key_end / query_begin, the online softmax, the dQ
// and dK/dV passes, the dslopes partials) built from the plan's own functions, against the
// double-precision reference. This tests the plan and the math, not CUDA: it runs (never skips)
// on machines without a GPU. The kernels' device code is checked by CudaBackendTest on a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "attention_case.h"
#include "core/error.h"
#include "core/rng.h"
#include "kernels/cuda/cuda_attention_plan.h"
#include "kernels/ref/attention.h"

namespace fg::kernels::cuda::attention_plan {
namespace {

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
void emulate_forward(const Problem& pr, std::vector<float>& out, std::vector<float>& lse) {
  const AttentionShape& s = pr.s;
  const float scale = attention_scale(s, pr.p), keep = attention_keep_scale(pr.p);
  for (int64_t bh = 0; bh < s.B * s.H; ++bh) {
    const int64_t b = bh / s.H, h = bh % s.H;
    const float* kh = pr.k.data() + pr.kv_row(b, h) * s.Tk * s.Dh;
    const float* vh = pr.v.data() + pr.kv_row(b, h) * s.Tk * s.Dh;
    const float slope = pr.sl() ? pr.slopes[h] : 0.f;
    for (int64_t i0 = 0; i0 < s.Tq; i0 += kRowTile) {
      const int64_t end = key_end(s, pr.p, i0, kRowTile);
      for (int64_t i = i0; i < std::min(i0 + kRowTile, s.Tq); ++i) {
        const float* qi = pr.q.data() + (bh * s.Tq + i) * s.Dh;
        OnlineRow row;
        std::vector<float> acc(s.Dh, 0.f);
        for (int64_t j0 = 0; j0 < end; j0 += kLaneTile) {
          float score[kLaneTile], tile_max = -INFINITY, tile_sum = 0, P[kLaneTile];
          for (int lane = 0; lane < kLaneTile; ++lane) {
            const int64_t j = j0 + lane;
            score[lane] = visible(s, pr.p, i, j)
                              ? scale * pr.dot(qi, kh + j * s.Dh) + slope * relative(pr.p, i, j)
                              : -INFINITY;
            tile_max = std::max(tile_max, score[lane]);
          }
          const float alpha = online_rescale(row, tile_max);
          for (int lane = 0; lane < kLaneTile; ++lane) {
            const int64_t j = j0 + lane;
            const bool vis = visible(s, pr.p, i, j);
            const float e = vis ? std::exp(score[lane] - row.max) : 0.f;
            tile_sum += e;
            P[lane] = vis ? e * dropout_factor(s, pr.p, b, h, i, j, keep) : 0.f;
          }
          row.sum += tile_sum;
          for (int64_t d = 0; d < s.Dh; ++d) {
            acc[d] *= alpha;
            for (int lane = 0; lane < kLaneTile && j0 + lane < s.Tk; ++lane)
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

// dS of (i, j) and P * drop, as the backward kernels compute them.
float grad_score(const Problem& pr, int64_t b, int64_t h, int64_t i, int64_t j, float row_lse,
                 float row_D, float* p_drop) {
  const AttentionShape& s = pr.s;
  const int64_t bh = b * s.H + h, kv = pr.kv_row(b, h);
  const float* qi = pr.q.data() + (bh * s.Tq + i) * s.Dh;
  const float* gi = pr.dout.data() + (bh * s.Tq + i) * s.Dh;
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
// then dK and dV per (b, kv head, key tile) over the query heads of the group.
Grads emulate_backward(const Problem& pr, const std::vector<float>& out,
                       const std::vector<float>& lse) {
  const AttentionShape& s = pr.s;
  const float scale = attention_scale(s, pr.p);
  const int64_t q_tiles = ceil_div(s.Tq, kRowTile);
  std::vector<float> D(s.B * s.H * s.Tq), partial(s.B * s.H * q_tiles, 0.f);
  for (size_t r = 0; r < D.size(); ++r)
    D[r] = pr.dot(pr.dout.data() + r * s.Dh, out.data() + r * s.Dh);
  Grads g{std::vector<float>(pr.q.size()), std::vector<float>(pr.k.size()),
          std::vector<float>(pr.v.size()), std::vector<float>(s.H, 0.f)};
  for (int64_t bh = 0; bh < s.B * s.H; ++bh) {
    const int64_t b = bh / s.H, h = bh % s.H, kv = pr.kv_row(b, h);
    for (int64_t t = 0; t < q_tiles; ++t) {
      const int64_t i0 = t * kRowTile, end = key_end(s, pr.p, i0, kRowTile);
      for (int64_t i = i0; i < std::min(i0 + kRowTile, s.Tq); ++i) {
        std::vector<float> acc(s.Dh, 0.f);
        for (int64_t j0 = 0; j0 < end; j0 += kLaneTile)
          for (int64_t j = j0; j < j0 + kLaneTile; ++j) {
            if (!visible(s, pr.p, i, j)) continue;
            float unused;
            const float ds =
                grad_score(pr, b, h, i, j, lse[bh * s.Tq + i], D[bh * s.Tq + i], &unused);
            partial[bh * q_tiles + t] += ds * relative(pr.p, i, j);
            for (int64_t d = 0; d < s.Dh; ++d) acc[d] += ds * pr.k[(kv * s.Tk + j) * s.Dh + d];
          }
        for (int64_t d = 0; d < s.Dh; ++d) g.dq[(bh * s.Tq + i) * s.Dh + d] = scale * acc[d];
      }
    }
  }
  const int64_t group = s.H / s.Hkv;
  for (int64_t bkv = 0; bkv < s.B * s.Hkv; ++bkv) {
    const int64_t b = bkv / s.Hkv, hkv = bkv % s.Hkv;
    for (int64_t j0 = 0; j0 < s.Tk; j0 += kRowTile)
      for (int64_t j = j0; j < std::min(j0 + kRowTile, s.Tk); ++j) {
        std::vector<float> dk(s.Dh, 0.f), dv(s.Dh, 0.f);
        for (int64_t h = hkv * group; h < (hkv + 1) * group; ++h) {
          const int64_t bh = b * s.H + h;
          for (int64_t i0 = query_begin(pr.p, j0); i0 < s.Tq; i0 += kLaneTile)
            for (int64_t i = i0; i < i0 + kLaneTile; ++i) {
              if (!visible(s, pr.p, i, j)) continue;
              float pd;
              const float ds =
                  grad_score(pr, b, h, i, j, lse[bh * s.Tq + i], D[bh * s.Tq + i], &pd);
              for (int64_t d = 0; d < s.Dh; ++d) {
                dv[d] += pd * pr.dout[(bh * s.Tq + i) * s.Dh + d];
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

Problem make_problem(const test::AttentionCase& c) {
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

TEST(CudaAttentionPlan, EmulatedKernelsMatchTheReference) {
  const test::AttentionCase cases[] = {
      {"Dh 48, 3 query tiles, 2 key tiles", {1, 2, 2, 40, 40, 48}},
      {"grouped-query, Dh 32", {2, 4, 2, 33, 33, 32}},
      {"KV offset crossing a key tile", {1, 2, 1, 5, 70, 16}, true, 0, true, 65},
      {"Tk > Tq + offset: keys nobody sees", {1, 1, 1, 20, 50, 8}, true, 0, true, 3},
      {"not causal, no ALiBi", {1, 2, 1, 17, 45, 8}, false, 0, false},
      {"dropout with global rows", {2, 2, 2, 35, 35, 8}, true, 0.3f},
  };
  for (const test::AttentionCase& c : cases) {
    const Problem pr = make_problem(c);
    const AttentionShape& s = pr.s;
    std::vector<float> out(pr.q.size()), lse(s.B * s.H * s.Tq);
    emulate_forward(pr, out, lse);
    std::vector<double> q = widen(pr.q), k = widen(pr.k), v = widen(pr.v), sl = widen(pr.slopes),
                        go = widen(pr.dout);
    std::vector<double> want_out(q.size()), want_lse(lse.size());
    const double* slp = c.slopes ? sl.data() : nullptr;
    ref::attention_forward<double>(s, pr.p, q.data(), k.data(), v.data(), slp, want_out.data(),
                                   want_lse.data());
    const std::string name = c.name;
    expect_near(out, want_out, 1e-5, name + ": out");
    expect_near(lse, want_lse, 1e-5, name + ": lse");

    const Grads g = emulate_backward(pr, out, lse);
    std::vector<double> dq(q.size()), dk(k.size()), dv(v.size()), dsl(s.H);
    ref::attention_backward<double>(s, pr.p, q.data(), k.data(), v.data(), slp, go.data(),
                                    dq.data(), dk.data(), dv.data(),
                                    c.slopes ? dsl.data() : nullptr);
    expect_near(g.dq, dq, 1e-4, name + ": dq");
    expect_near(g.dk, dk, 1e-4, name + ": dk");
    expect_near(g.dv, dv, 1e-4, name + ": dv");
    if (c.slopes) expect_near(g.dslopes, dsl, 1e-4, name + ": dslopes");
  }
}

// Every visible (query, key) pair lies inside the tiles the plan streams, from both sides.
TEST(CudaAttentionPlan, CausalTileBoundsCoverEveryVisiblePair) {
  for (int64_t Tq : {1, 15, 16, 17, 33, 64})
    for (int64_t Tk : {1, 31, 32, 33, 100})
      for (int64_t offset : {int64_t(0), int64_t(5), int64_t(40)}) {
        AttentionShape s{1, 1, 1, Tq, Tk, 8};
        AttentionParams p;
        p.query_offset = offset;
        for (int64_t i = 0; i < Tq; ++i)
          for (int64_t j = 0; j < Tk; ++j) {
            if (!visible(s, p, i, j)) continue;
            const int64_t i0 = i / kRowTile * kRowTile, j0 = j / kRowTile * kRowTile;
            EXPECT_LT(j, key_end(s, p, i0, kRowTile)) << Tq << " " << Tk << " " << offset;
            EXPECT_GE(i, query_begin(p, j0)) << Tq << " " << Tk << " " << offset;
          }
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
