// The CUDA backend's fused attention at the example model's shapes (B=8, H=6, Dh=48, ALiBi),
// forward and forward+backward, with f32 q, k, v (CUDA cores; template argument false) and bf16
// ones (tensor cores; true). Each iteration ends with a synchronize, so the time is the
// kernels' wall time on device 0. GFLOP/s counts useful causal work as bench/attention_bench.cpp
// does (forward 4*B*H*T*T*Dh/2, forward+backward 3x that), so the two compare directly.
// Without a CUDA device it says why and exits 1.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "attention_bench_shapes.h"
#include "core/rng.h"
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_register.h"

namespace {

using fg::BFloat16;
using fg::DType;
using fg::kernels::AttentionParams;
using fg::kernels::AttentionShape;

constexpr int64_t kB = fg::bench::kAttentionB, kH = fg::bench::kAttentionH,
                  kDh = fg::bench::kAttentionDh;

fg::kernels::cuda::CudaBackend& gpu() {
  static fg::kernels::cuda::CudaBackend backend(0);
  return backend;
}

// Device buffers for one sequence length; freed when it goes out of scope.
class DeviceInputs {
 public:
  explicit DeviceInputs(int64_t T) : s{kB, kH, kH, T, T, kDh} {
    fg::Rng rng(1);
    auto random = [&](int64_t n) {
      std::vector<float> x(n);
      for (auto& e : x) e = static_cast<float>(rng.normal());
      return upload(x);
    };
    const int64_t n = kB * kH * T * kDh;
    q = random(n), k = random(n), v = random(n), dout = random(n);
    q16 = to_bf16(q, n), k16 = to_bf16(k, n), v16 = to_bf16(v, n);
    std::vector<float> host_slopes;
    for (int64_t h = 0; h < kH; ++h) host_slopes.push_back(std::pow(2.0f, -7.0f * h / (kH - 1)));
    slopes = upload(host_slopes);
    out = scratch(n), dq = scratch(n), dk = scratch(n), dv = scratch(n);
    lse = scratch(kB * kH * T), dslopes = scratch(kH);
    ws = scratch(gpu().attention_backward_workspace_size(s));
  }
  ~DeviceInputs() {
    for (auto [p, bytes] : owned_) gpu().deallocate(p, bytes);
  }
  DeviceInputs(const DeviceInputs&) = delete;
  DeviceInputs& operator=(const DeviceInputs&) = delete;

  AttentionShape s;
  float *q, *k, *v, *slopes, *dout, *out, *lse, *dq, *dk, *dv, *dslopes, *ws;
  BFloat16 *q16, *k16, *v16;  // q, k, v rounded to bf16

 private:
  BFloat16* to_bf16(const float* x, int64_t n) {
    const size_t bytes = static_cast<size_t>(n) * sizeof(BFloat16);
    auto* p = static_cast<BFloat16*>(gpu().allocate(bytes));
    owned_.push_back({p, bytes});
    gpu().convert(x, DType::F32, p, DType::BF16, n);
    return p;
  }
  float* scratch(int64_t n) {
    const size_t bytes = static_cast<size_t>(n) * sizeof(float);
    auto* p = static_cast<float*>(gpu().allocate(bytes));
    owned_.push_back({p, bytes});
    return p;
  }
  float* upload(const std::vector<float>& host) {
    float* p = scratch(static_cast<int64_t>(host.size()));
    gpu().copy_from_host(host.data(), p, static_cast<int64_t>(host.size() * sizeof(float)));
    return p;
  }
  std::vector<std::pair<void*, size_t>> owned_;
};

template <bool kBf16>
void forward(DeviceInputs& in, const AttentionParams& p) {
  if constexpr (kBf16)
    gpu().attention_forward_bf16(in.s, p, in.q16, in.k16, in.v16, in.slopes, in.out, in.lse);
  else
    gpu().attention_forward(in.s, p, in.q, in.k, in.v, in.slopes, in.out, in.lse);
}

template <bool kBf16>
void backward(DeviceInputs& in, const AttentionParams& p) {
  if constexpr (kBf16)
    gpu().attention_backward_bf16(in.s, p, in.q16, in.k16, in.v16, in.slopes, in.out, in.lse,
                                  in.dout, in.dq, in.dk, in.dv, in.dslopes, in.ws);
  else
    gpu().attention_backward(in.s, p, in.q, in.k, in.v, in.slopes, in.out, in.lse, in.dout, in.dq,
                             in.dk, in.dv, in.dslopes, in.ws);
}

template <bool kBf16>
void BM_CudaForward(benchmark::State& state) {
  DeviceInputs in(state.range(0));
  const AttentionParams p;
  for (auto _ : state) {
    forward<kBf16>(in, p);
    gpu().synchronize();
  }
  fg::bench::set_attention_flops(state, state.range(0), 1);
}

template <bool kBf16>
void BM_CudaForwardBackward(benchmark::State& state) {
  DeviceInputs in(state.range(0));
  AttentionParams p;
  p.dropout_p = static_cast<float>(state.range(1)) / 100;
  p.seed = 5;
  for (auto _ : state) {
    forward<kBf16>(in, p);
    backward<kBf16>(in, p);
    gpu().synchronize();
  }
  fg::bench::set_attention_flops(state, state.range(0), 3);
}

void forward_args(benchmark::internal::Benchmark* b) {
  b->Arg(256)->Arg(512)->Arg(1024)->UseRealTime()->Unit(benchmark::kMillisecond);
}
void forward_backward_args(benchmark::internal::Benchmark* b) {  // T, dropout in percent
  b->Args({256, 0})->Args({512, 0})->Args({1024, 0})->Args({512, 10});
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK_TEMPLATE(BM_CudaForward, false)->Apply(forward_args);
BENCHMARK_TEMPLATE(BM_CudaForward, true)->Apply(forward_args);
BENCHMARK_TEMPLATE(BM_CudaForwardBackward, false)->Apply(forward_backward_args);
BENCHMARK_TEMPLATE(BM_CudaForwardBackward, true)->Apply(forward_backward_args);

int main(int argc, char** argv) {
  const fg::kernels::cuda::CudaProbe probe = fg::kernels::cuda::probe_cuda();
  if (!probe.error.empty() || probe.device_count == 0) {
    std::fprintf(stderr, "bench_attention_cuda: no CUDA device (%s)\n",
                 probe.error.empty() ? "the driver reports none" : probe.error.c_str());
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
