// CudaBackend against the CPU backend on the things the op table does not pin down: dropout
// masks and AdamW/SGD steps bit for bit, GEMM transposes (f32, TF32 and bf16), the pool
// allocator's reuse, the id check, and the fused attention at the head dims and lengths the op
// table's small rows do not reach (several tiles, Dh 32/48/64/128, GQA, KV offset, dropout), in
// f32 and in bf16 (tensor cores).
// Skipped (ctest shows SKIP) where there is no CUDA device.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "attention_case.h"
#include "core/rng.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cuda/cuda_backend.h"
#include "support/cuda_runtime.h"

namespace fg::kernels::cuda {
namespace {

// Tolerances of one kernel family against the CPU's f32 kernels: out, lse, the gradients (dslopes
// relative to its largest value: it sums B*H*T*T terms weighted by positions up to T).
struct AttentionTolerance {
  float out, lse, grads;
};

class CudaBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = test_support::cuda_unavailable_reason();
    if (!why.empty()) GTEST_SKIP() << why;
    gpu_ = std::make_unique<CudaBackend>(0);
  }

  // A device copy of `host` (freed by TearDown).
  template <class T>
  T* upload(const std::vector<T>& host) {
    void* p = gpu_->allocate(host.size() * sizeof(T));
    gpu_->copy_from_host(host.data(), p, static_cast<int64_t>(host.size() * sizeof(T)));
    owned_.push_back({p, host.size() * sizeof(T)});
    return static_cast<T*>(p);
  }
  template <class T>
  std::vector<T> download(const T* p, size_t n) {
    std::vector<T> out(n);
    gpu_->copy_to_host(p, out.data(), static_cast<int64_t>(n * sizeof(T)));
    return out;
  }
  void TearDown() override {
    for (auto [p, bytes] : owned_) gpu_->deallocate(p, bytes);
  }

  void check_attention(const test::AttentionCase& c, bool bf16, const AttentionTolerance& tol);

  static std::vector<float> random(size_t n, uint64_t seed) {
    Rng rng(seed);
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(rng.normal());
    return v;
  }

  std::unique_ptr<CudaBackend> gpu_;
  cpu::CpuBackend cpu_;
  std::vector<std::pair<void*, size_t>> owned_;
};

TEST_F(CudaBackendTest, DropoutMaskIsBitIdenticalToTheCpu) {
  const size_t n = 100003;
  std::vector<float> x = random(n, 1), want(n);
  cpu_.dropout_forward(x.data(), want.data(), n, 0.1f, 1234, 777);
  float* dx = upload(x);
  float* dy = upload(std::vector<float>(n));
  gpu_->dropout_forward(dx, dy, n, 0.1f, 1234, 777);
  EXPECT_EQ(download(dy, n), want);
}

TEST_F(CudaBackendTest, AdamWAndSgdStepsAreBitIdenticalToTheCpu) {
  const size_t n = 4099;
  std::vector<float> p = random(n, 2), g = random(n, 3), m = random(n, 4), v(n);
  for (size_t i = 0; i < n; ++i) v[i] = std::abs(m[i]) * 0.01f;
  const AdamWScalars s{0.999f, 0.9f, 0.1f, 0.999f, 0.001f, 0.05f, 1e-8f, -0.003f};
  float *dp = upload(p), *dg = upload(g), *dm = upload(m), *dv = upload(v);
  cpu_.adamw_update(p.data(), g.data(), m.data(), v.data(), n, s);
  gpu_->adamw_update(dp, dg, dm, dv, n, s);
  EXPECT_EQ(download(dp, n), p);
  EXPECT_EQ(download(dm, n), m);
  EXPECT_EQ(download(dv, n), v);

  std::vector<float> buf = random(n, 5);
  float* dbuf = upload(buf);
  const SGDScalars sgd{0.01f, 0.9f, 1.f, 0.001f};
  cpu_.sgd_update(p.data(), g.data(), buf.data(), n, sgd, true, false, true);
  gpu_->sgd_update(dp, dg, dbuf, n, sgd, true, false, true);
  EXPECT_EQ(download(dp, n), p);
  EXPECT_EQ(download(dbuf, n), buf);
}

TEST_F(CudaBackendTest, GemmMatchesTheCpuForEveryTransposeAndTf32) {
  const int64_t M = 37, N = 53, K = 71;
  for (bool tf32 : {false, true}) {
    gpu_->set_tf32(tf32);
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        std::vector<float> a = random(M * K, 6), b = random(K * N, 7), c = random(M * N, 8);
        const int64_t lda = ta ? M : K, ldb = tb ? K : N;
        float *da = upload(a), *db = upload(b), *dc = upload(c);
        cpu_.gemm(ta, tb, M, N, K, 0.5f, a.data(), lda, b.data(), ldb, 1.f, c.data(), N);
        gpu_->gemm(ta, tb, M, N, K, 0.5f, da, lda, db, ldb, 1.f, dc, N);
        const std::vector<float> got = download(dc, M * N);
        const float tol = tf32 ? 2e-2f : 1e-4f;  // TF32 keeps 10 mantissa bits of the inputs
        for (int64_t i = 0; i < M * N; ++i)
          ASSERT_NEAR(got[i], c[i], tol * (1 + std::abs(c[i])))
              << "tf32 " << tf32 << " trans " << ta << tb << " at " << i;
      }
  }
}

TEST_F(CudaBackendTest, Bf16GemmMatchesTheCpuForEveryTranspose) {
  const int64_t M = 37, N = 53, K = 71;
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      std::vector<float> a = random(M * K, 16), b = random(K * N, 17), c = random(M * N, 18);
      std::vector<BFloat16> a16(a.size()), b16(b.size());
      cpu_.convert(a.data(), DType::F32, a16.data(), DType::BF16, M * K);
      cpu_.convert(b.data(), DType::F32, b16.data(), DType::BF16, K * N);
      const int64_t lda = ta ? M : K, ldb = tb ? K : N;
      BFloat16 *da = upload(a16), *db = upload(b16);
      float* dc = upload(c);
      cpu_.gemm_bf16(ta, tb, M, N, K, 0.5f, a16.data(), lda, b16.data(), ldb, 1.f, c.data(), N);
      gpu_->gemm_bf16(ta, tb, M, N, K, 0.5f, da, lda, db, ldb, 1.f, dc, N);
      const std::vector<float> got = download(dc, M * N);
      // The same bf16 inputs, exact products and f32 sums: only the summation order differs.
      for (int64_t i = 0; i < M * N; ++i)
        ASSERT_NEAR(got[i], c[i], 1e-4f * (1 + std::abs(c[i])))
            << "trans " << ta << tb << " at " << i;
    }
}

using test::AttentionCase;

void expect_all_near(const std::vector<float>& got, const std::vector<float>& want, float tol,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * (1 + std::abs(want[i]))) << what << " at " << i;
}

// One case on the CPU's f32 kernels and on the GPU's f32 kernels or, with bf16, its bf16 kernels
// (q, k, v rounded to bf16 first; the CPU sees the rounded values).
void CudaBackendTest::check_attention(const AttentionCase& c, bool bf16,
                                      const AttentionTolerance& tol) {
  const AttentionShape& s = c.s;
  const AttentionParams p = c.params(4242);
  const size_t nq = s.B * s.H * s.Tq * s.Dh, nkv = s.B * s.Hkv * s.Tk * s.Dh;
  const size_t rows = s.B * s.H * s.Tq;
  std::vector<float> q = random(nq, 21), k = random(nkv, 22), v = random(nkv, 23),
                     dout = random(nq, 24), slopes(s.H);
  for (int64_t h = 0; h < s.H; ++h) slopes[h] = 0.5f / float(h + 1);
  std::vector<BFloat16> q16(nq), k16(nkv), v16(nkv);
  if (bf16)
    for (auto [x, x16] : {std::pair{&q, &q16}, std::pair{&k, &k16}, std::pair{&v, &v16}}) {
      cpu_.convert(x->data(), DType::F32, x16->data(), DType::BF16, x->size());
      cpu_.convert(x16->data(), DType::BF16, x->data(), DType::F32, x->size());
    }
  const float* sl = c.slopes ? slopes.data() : nullptr;
  std::vector<float> out(nq), lse(rows), dq(nq), dk(nkv), dv(nkv), dsl(s.H);
  std::vector<float> ws(cpu_.attention_backward_workspace_size(s));
  cpu_.attention_forward(s, p, q.data(), k.data(), v.data(), sl, out.data(), lse.data());
  cpu_.attention_backward(s, p, q.data(), k.data(), v.data(), sl, out.data(), lse.data(),
                          dout.data(), dq.data(), dk.data(), dv.data(),
                          c.slopes ? dsl.data() : nullptr, ws.data());

  float *gdout = upload(dout), *gsl = c.slopes ? upload(slopes) : nullptr;
  float *gout = upload(std::vector<float>(nq)), *glse = upload(std::vector<float>(rows));
  float *gdq = upload(std::vector<float>(nq)), *gdk = upload(std::vector<float>(nkv));
  float *gdv = upload(std::vector<float>(nkv)),
        *gdsl = c.slopes ? upload(std::vector<float>(s.H)) : nullptr;
  float* gws = upload(std::vector<float>(gpu_->attention_backward_workspace_size(s)));
  if (bf16) {
    BFloat16 *gq = upload(q16), *gk = upload(k16), *gv = upload(v16);
    gpu_->attention_forward_bf16(s, p, gq, gk, gv, gsl, gout, glse);
    gpu_->attention_backward_bf16(s, p, gq, gk, gv, gsl, gout, glse, gdout, gdq, gdk, gdv, gdsl,
                                  gws);
  } else {
    float *gq = upload(q), *gk = upload(k), *gv = upload(v);
    gpu_->attention_forward(s, p, gq, gk, gv, gsl, gout, glse);
    gpu_->attention_backward(s, p, gq, gk, gv, gsl, gout, glse, gdout, gdq, gdk, gdv, gdsl, gws);
  }
  const std::string name = std::string(c.name) + (bf16 ? " (bf16)" : " (f32)");
  expect_all_near(download(gout, nq), out, tol.out, name + ": out");
  expect_all_near(download(glse, rows), lse, tol.lse, name + ": lse");
  expect_all_near(download(gdq, nq), dq, tol.grads, name + ": dq");
  expect_all_near(download(gdk, nkv), dk, tol.grads, name + ": dk");
  expect_all_near(download(gdv, nkv), dv, tol.grads, name + ": dv");
  if (c.slopes) {
    float scale = 1;
    for (float x : dsl) scale = std::max(scale, std::abs(x));
    expect_all_near(download(gdsl, s.H), dsl, tol.grads * scale, name + ": dslopes");
  }
}

TEST_F(CudaBackendTest, AttentionMatchesTheCpuKernels) {
  const AttentionCase cases[] = {
      {"example model (Dh 48, 6 heads, 3 tiles)", {2, 6, 6, 70, 70, 48}},
      {"Dh 32, grouped-query", {1, 4, 2, 77, 77, 32}, true},
      {"Dh 64, KV-cache offset", {1, 2, 1, 9, 70, 64}, true, 0, true, 61},
      {"Dh 128, not causal, no ALiBi", {1, 2, 2, 40, 53, 128}, false, 0, false},
      {"Dh 48, dropout", {2, 2, 1, 65, 65, 48}, true, 0.2f},
      {"odd Dh 7, one partial tile", {1, 3, 1, 5, 5, 7}},
  };
  for (const AttentionCase& c : cases) check_attention(c, false, {1e-4f, 1e-5f, 1e-3f});
}

// The bf16 kernels (tensor cores) against the CPU's f32 kernels on the same bf16-rounded inputs:
// only the roundings of P * drop, dout and dS to bf16 and the summation order differ, so the
// op table's bf16 tolerance holds (docs/engine.md: 1e-2, twice that for gradients); lse is f32
// softmax statistics of the same products. The shapes cross the 64-row tiles and pad head dims
// that are no multiple of 16 (40, 6).
TEST_F(CudaBackendTest, Bf16AttentionMatchesTheCpuOnRoundedInputs) {
  const AttentionCase cases[] = {
      {"example model (Dh 48, 6 heads, 3 tiles)", {2, 6, 6, 150, 150, 48}},
      {"Dh 32, grouped-query", {1, 4, 2, 77, 77, 32}, true},
      {"Dh 64, KV-cache offset", {1, 2, 1, 9, 140, 64}, true, 0, true, 131},
      {"Dh 128, not causal, no ALiBi", {1, 2, 2, 70, 53, 128}, false, 0, false},
      {"Dh 40, dropout", {2, 2, 1, 130, 130, 40}, true, 0.2f},
      {"Dh 6, one partial tile", {1, 3, 1, 5, 5, 6}},
  };
  for (const AttentionCase& c : cases) check_attention(c, true, {1e-2f, 1e-4f, 2e-2f});
}

// With q = k = 0 and no mask every probability is 1/Tk, so with v the identity
// out[i][j] = keep(i, j) / ((1 - p) Tk): the GPU's mask, element by element, against
// attention_keep itself, for the f32 and the bf16 kernels (zeros and ones are exact in bf16).
TEST_F(CudaBackendTest, AttentionDropoutMaskIsTheCpus) {
  const AttentionShape s{2, 3, 1, 40, 48, 48};
  AttentionParams p;
  p.dropout_p = 0.3f;
  p.seed = 99;
  p.rng_base = 12345;
  p.causal = false;
  std::vector<float> v(s.B * s.Tk * s.Dh, 0.f);
  for (int64_t b = 0; b < s.B; ++b)
    for (int64_t j = 0; j < s.Tk; ++j) v[(b * s.Tk + j) * s.Dh + j] = 1.f;
  const size_t nq = s.B * s.H * s.Tq * s.Dh;
  std::vector<BFloat16> v16(v.size());
  cpu_.convert(v.data(), DType::F32, v16.data(), DType::BF16, v.size());
  float* out = upload(std::vector<float>(nq));
  float* lse = upload(std::vector<float>(s.B * s.H * s.Tq));
  for (bool bf16 : {false, true}) {
    if (bf16)
      gpu_->attention_forward_bf16(s, p, upload(std::vector<BFloat16>(nq)),
                                   upload(std::vector<BFloat16>(v.size())), upload(v16), nullptr,
                                   out, lse);
    else
      gpu_->attention_forward(s, p, upload(std::vector<float>(nq, 0.f)),
                              upload(std::vector<float>(v.size(), 0.f)), upload(v), nullptr, out,
                              lse);
    const std::vector<float> got = download(out, nq);
    int64_t dropped = 0;
    for (int64_t b = 0; b < s.B; ++b)
      for (int64_t h = 0; h < s.H; ++h)
        for (int64_t i = 0; i < s.Tq; ++i)
          for (int64_t j = 0; j < s.Tk; ++j) {
            const bool keep = attention_keep(p, attention_dropout_counter(s, p, b, h, i, j));
            dropped += !keep;
            ASSERT_EQ(got[((b * s.H + h) * s.Tq + i) * s.Dh + j] != 0.f, keep)
                << (bf16 ? "bf16" : "f32") << " b " << b << " h " << h << " i " << i << " j " << j;
          }
    EXPECT_GT(dropped, 0);
  }
}

// What the kernels take: f32 everywhere, bf16 GEMMs and attention, bf16/f16 conversions; never
// integers.
TEST_F(CudaBackendTest, SupportsAnswersForEveryKernelAndDtype) {
  for (int ki = 0; ki <= static_cast<int>(Kernel::Attention); ++ki) {
    const Kernel k = static_cast<Kernel>(ki);
    for (DType t : {DType::F32, DType::I32, DType::I64, DType::BF16, DType::F16}) {
      const bool want = t == DType::F32 ||
                        ((k == Kernel::Gemm || k == Kernel::Attention) && t == DType::BF16) ||
                        (k == Kernel::Convert && (t == DType::BF16 || t == DType::F16));
      EXPECT_EQ(gpu_->supports(k, t), want) << kernel_name(k) << " " << dtype_name(t);
    }
  }
}

TEST_F(CudaBackendTest, PoolReusesFreedBlocks) {
  void* p = gpu_->allocate(1 << 20);
  gpu_->deallocate(p, 1 << 20);
  gpu_->synchronize();
  const AllocatorStats before = gpu_->allocator_stats();
  void* q = gpu_->allocate(1 << 20);
  const AllocatorStats after = gpu_->allocator_stats();
  gpu_->deallocate(q, 1 << 20);
  EXPECT_EQ(after.fresh_allocations, before.fresh_allocations);
  EXPECT_EQ(after.cache_hits, before.cache_hits + 1);
}

TEST_F(CudaBackendTest, CountInvalidIdsFindsTheFirstBadOne) {
  std::vector<int64_t> ids(5000, 3);
  ids[4000] = 99;
  ids[1234] = -5;
  ids[17] = -100;  // the allowed ignore index
  int64_t* d_ids = upload(ids);
  int64_t* result = upload(std::vector<int64_t>(2));
  gpu_->count_invalid_ids(d_ids, 5000, 0, 10, -100, result);
  EXPECT_EQ(download(result, 2), (std::vector<int64_t>{2, 1234}));
}

}  // namespace
}  // namespace fg::kernels::cuda
