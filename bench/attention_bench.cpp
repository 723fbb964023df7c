// Attention at the example model's shapes (B=8, H=6, Dh=48, ALiBi): the fused CPU kernels against
// a materialised implementation that, like PyTorch 1.13, forms the T x T scores with GEMMs, keeps P
// for the backward and runs one (b, h) slice per thread.
// The *Bf16 rows run the bf16 kernels (q, k, v rounded to bf16 once, vdpbf16ps products) where the
// kernel copy has them (AVX512-BF16), and are skipped elsewhere.
// GFLOP/s counts useful causal work: forward 4*B*H*T*T*Dh/2, forward+backward 3x that.
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "attention_bench_shapes.h"
#include "core/rng.h"
#include "kernels/cpu/half.h"
#include "kernels/cpu/isa.h"

namespace {

using fg::kernels::AttentionParams;
using fg::kernels::AttentionShape;

constexpr int64_t kB = fg::bench::kAttentionB, kH = fg::bench::kAttentionH,
                  kDh = fg::bench::kAttentionDh;

// The kernel copy the CPU backend would pick (FORGATHER_ISA overrides).
const fg::kernels::cpu::KernelTable& fused() {
  static const auto& kernels =
      fg::kernels::cpu::kernels_for(fg::kernels::cpu::isa_from_environment());
  return kernels;
}

struct Inputs {
  AttentionShape s;
  std::vector<float> q, k, v, slopes, dout, out, lse, dq, dk, dv, dslopes, ws;
  std::vector<uint16_t> qb, kb, vb;  // q, k, v rounded to bf16
  explicit Inputs(int64_t T) : s{kB, kH, kH, T, T, kDh} {
    fg::Rng rng(1);
    auto rand = [&](int64_t n) {
      std::vector<float> x(n);
      for (auto& e : x) e = static_cast<float>(rng.normal());
      return x;
    };
    const int64_t n = kB * kH * T * kDh;
    q = rand(n), k = rand(n), v = rand(n), dout = rand(n);
    for (int64_t h = 0; h < kH; ++h) slopes.push_back(std::pow(2.0f, -7.0f * h / (kH - 1)));
    out.resize(n), dq.resize(n), dk.resize(n), dv.resize(n), lse.resize(kB * kH * T);
    dslopes.resize(kH);
    ws.resize(fused().attention_backward_workspace_size(s));
    auto bf16 = [](const std::vector<float>& x) {
      std::vector<uint16_t> b(x.size());
      for (size_t i = 0; i < x.size(); ++i) b[i] = fg::kernels::cpu::host::f32_to_bf16(x[i]);
      return b;
    };
    qb = bf16(q), kb = bf16(k), vb = bf16(v);
  }
};

void BM_FusedForward(benchmark::State& state) {
  Inputs in(state.range(0));
  const AttentionParams p;
  for (auto _ : state) {
    fused().attention_forward(in.s, p, in.q.data(), in.k.data(), in.v.data(), in.slopes.data(),
                              in.out.data(), in.lse.data());
    benchmark::DoNotOptimize(in.out.data());
  }
  fg::bench::set_attention_flops(state, state.range(0), 1);
}

void BM_FusedForwardBackward(benchmark::State& state) {
  Inputs in(state.range(0));
  AttentionParams p;
  p.dropout_p = static_cast<float>(state.range(1)) / 100;
  for (auto _ : state) {
    fused().attention_forward(in.s, p, in.q.data(), in.k.data(), in.v.data(), in.slopes.data(),
                              in.out.data(), in.lse.data());
    fused().attention_backward(in.s, p, in.q.data(), in.k.data(), in.v.data(), in.slopes.data(),
                               in.out.data(), in.lse.data(), in.dout.data(), in.dq.data(),
                               in.dk.data(), in.dv.data(), in.dslopes.data(), in.ws.data(),
                               fg::kernels::cpu::AttentionBackwardSchedule::Auto);
    benchmark::DoNotOptimize(in.dq.data());
  }
  fg::bench::set_attention_flops(state, state.range(0), 3);
}

bool have_bf16(benchmark::State& state) {
  if (fused().attention_forward_bf16 != nullptr) return true;
  state.SkipWithError("this kernel copy has no bf16 attention (no AVX512-BF16)");
  return false;
}

void BM_FusedForwardBf16(benchmark::State& state) {
  if (!have_bf16(state)) return;
  Inputs in(state.range(0));
  const AttentionParams p;
  for (auto _ : state) {
    fused().attention_forward_bf16(in.s, p, in.qb.data(), in.kb.data(), in.vb.data(),
                                   in.slopes.data(), in.out.data(), in.lse.data());
    benchmark::DoNotOptimize(in.out.data());
  }
  fg::bench::set_attention_flops(state, state.range(0), 1);
}

void BM_FusedForwardBackwardBf16(benchmark::State& state) {
  if (!have_bf16(state)) return;
  Inputs in(state.range(0));
  AttentionParams p;
  p.dropout_p = static_cast<float>(state.range(1)) / 100;
  for (auto _ : state) {
    fused().attention_forward_bf16(in.s, p, in.qb.data(), in.kb.data(), in.vb.data(),
                                   in.slopes.data(), in.out.data(), in.lse.data());
    fused().attention_backward_bf16(
        in.s, p, in.qb.data(), in.kb.data(), in.vb.data(), in.slopes.data(), in.out.data(),
        in.lse.data(), in.dout.data(), in.dq.data(), in.dk.data(), in.dv.data(), in.dslopes.data(),
        in.ws.data(), fg::kernels::cpu::AttentionBackwardSchedule::Auto);
    benchmark::DoNotOptimize(in.dq.data());
  }
  fg::bench::set_attention_flops(state, state.range(0), 3);
}

// KV-cache decoding: one new query per head against Tk cached keys (B=1).
void BM_FusedDecode(benchmark::State& state) {
  const int64_t Tk = state.range(0);
  Inputs in(Tk);
  const AttentionShape s{1, kH, kH, 1, Tk, kDh};
  AttentionParams p;
  p.query_offset = Tk - 1;
  for (auto _ : state) {
    fused().attention_forward(s, p, in.q.data(), in.k.data(), in.v.data(), in.slopes.data(),
                              in.out.data(), in.lse.data());
    benchmark::DoNotOptimize(in.out.data());
  }
  const double flops = 4.0 * kH * Tk * kDh;
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// Materialised forward of one (b, h) slice: P [T,T] = softmax(scale*q k^T + bias), out = P v.
void materialised_forward(int64_t T, const float* q, const float* k, const float* v, float slope,
                          float* P, float* out) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(kDh));
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, kDh, scale, q, kDh, k, kDh, 0.0f, P,
              T);
  for (int64_t i = 0; i < T; ++i) {
    float* row = P + i * T;
    float mx = -INFINITY, sum = 0;
    for (int64_t j = 0; j <= i; ++j) row[j] += slope * (j - i), mx = std::max(mx, row[j]);
    for (int64_t j = 0; j <= i; ++j) row[j] = std::exp(row[j] - mx), sum += row[j];
    for (int64_t j = 0; j <= i; ++j) row[j] /= sum;
    for (int64_t j = i + 1; j < T; ++j) row[j] = 0.0f;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, kDh, T, 1.0f, P, T, v, kDh, 0.0f, out,
              kDh);
}

// Materialised backward from the stored P; dS overwrites the dP scratch [T,T].
void materialised_backward(int64_t T, const float* q, const float* k, const float* v,
                           const float* P, const float* dout, float* dP, float* dq, float* dk,
                           float* dv) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(kDh));
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, kDh, T, 1.0f, P, T, dout, kDh, 0.0f, dv,
              kDh);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, kDh, 1.0f, dout, kDh, v, kDh, 0.0f, dP,
              T);
  for (int64_t i = 0; i < T; ++i) {
    const float* p = P + i * T;
    float* d = dP + i * T;
    float D = 0;
    for (int64_t j = 0; j < T; ++j) D += p[j] * d[j];
    for (int64_t j = 0; j < T; ++j) d[j] = p[j] * (d[j] - D);
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, kDh, T, scale, dP, T, k, kDh, 0.0f, dq,
              kDh);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, kDh, T, scale, dP, T, q, kDh, 0.0f, dk,
              kDh);
}

void run_materialised(benchmark::State& state, bool backward) {
  const int64_t T = state.range(0);
  Inputs in(T);
  std::vector<float> P(kB * kH * T * T), dP(static_cast<size_t>(omp_get_max_threads()) * T * T);
  openblas_set_num_threads(1);  // one slice per OpenMP thread
  for (auto _ : state) {
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t bh = 0; bh < kB * kH; ++bh) {
      const int64_t off = bh * T * kDh;
      float* Pb = P.data() + bh * T * T;
      materialised_forward(T, in.q.data() + off, in.k.data() + off, in.v.data() + off,
                           in.slopes[bh % kH], Pb, in.out.data() + off);
      if (backward)
        materialised_backward(T, in.q.data() + off, in.k.data() + off, in.v.data() + off, Pb,
                              in.dout.data() + off, dP.data() + omp_get_thread_num() * T * T,
                              in.dq.data() + off, in.dk.data() + off, in.dv.data() + off);
    }
    benchmark::DoNotOptimize(in.out.data());
  }
  fg::bench::set_attention_flops(state, T, backward ? 3 : 1);
}

void BM_MaterialisedForward(benchmark::State& state) {
  run_materialised(state, false);
}
void BM_MaterialisedForwardBackward(benchmark::State& state) {
  run_materialised(state, true);
}

// Sequence lengths (and, with the backward, dropout in percent) every row runs at.
void forward_lengths(benchmark::internal::Benchmark* b) {
  b->Arg(256)->Arg(512)->Arg(1024)->UseRealTime()->Unit(benchmark::kMillisecond);
}
void training_lengths(benchmark::internal::Benchmark* b) {
  b->Args({256, 0})->Args({512, 0})->Args({1024, 0})->Args({512, 10});
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(BM_FusedForward)->Apply(forward_lengths);
BENCHMARK(BM_FusedForwardBf16)->Apply(forward_lengths);
BENCHMARK(BM_MaterialisedForward)->Apply(forward_lengths);
BENCHMARK(BM_FusedForwardBackward)->Apply(training_lengths);
BENCHMARK(BM_FusedForwardBackwardBf16)->Apply(training_lengths);
BENCHMARK(BM_MaterialisedForwardBackward)->Apply(forward_lengths);
BENCHMARK(BM_FusedDecode)->Arg(512)->Arg(2048)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
