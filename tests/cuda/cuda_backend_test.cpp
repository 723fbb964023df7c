// CudaBackend against the CPU backend on the things the op table does not pin down: dropout
// masks and AdamW/SGD steps bit for bit, GEMM transposes (f32 and TF32), the pool allocator's
// reuse, and the id check. Skipped (ctest shows SKIP) where there is no CUDA device.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "kernels/cpu/cpu_backend.h"
#include "kernels/cuda/cuda_backend.h"
#include "support/cuda_runtime.h"

namespace fg::kernels::cuda {
namespace {

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
