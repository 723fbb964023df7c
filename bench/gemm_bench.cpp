// GEMM library choice: OpenBLAS cblas_sgemm vs oneDNN dnnl_sgemm (and oneDNN's bf16 matmul, as
// autocast runs it) on the example model's shapes
// (B*T = 4096 rows, d_model 288, ffn 1152, vocab 2000), forward and both backward GEMMs of
// linear layers, at 2 threads. Run: build/dev/bench/bench_gemm --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <dnnl.h>
#include <omp.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "kernels/cpu/gemm.h"

namespace {

// FG_BENCH_THREADS overrides the default of 2 threads.
int bench_threads() {
  const char* e = std::getenv("FG_BENCH_THREADS");
  return e ? std::atoi(e) : 2;
}

// One linear layer GEMM: y[M,N] = x[M,K] w[N,K]^T (fwd), dX[M,K] = dY[M,N] w[N,K] (bwd_data),
// dW[N,K] = dY[M,N]^T x[M,K] (bwd_weight).
enum Kind { kFwd = 0, kBwdData = 1, kBwdWeight = 2 };

struct Problem {
  bool ta, tb;
  int64_t M, N, K;
};

Problem problem(Kind kind, int64_t rows, int64_t in, int64_t out) {
  switch (kind) {
    case kFwd:
      return {false, true, rows, out, in};
    case kBwdData:
      return {false, false, rows, in, out};
    default:
      return {true, false, out, in, rows};
  }
}

template <bool kDnnl>
void BM_Gemm(benchmark::State& state) {
  Problem p =
      problem(static_cast<Kind>(state.range(0)), state.range(1), state.range(2), state.range(3));
  std::vector<float> A(p.M * p.K, 0.5f), B(p.K * p.N, 0.25f), C(p.M * p.N);
  int64_t lda = p.ta ? p.M : p.K, ldb = p.tb ? p.K : p.N;
  omp_set_num_threads(bench_threads());
  openblas_set_num_threads(bench_threads());
  // Process CPU seconds as well as wall time: on a shared, loaded machine GFLOP per CPU-second
  // is the load-independent per-core figure.
  std::clock_t c0 = std::clock();
  for (auto _ : state) {
    if constexpr (kDnnl) {
      dnnl_sgemm(p.ta ? 'T' : 'N', p.tb ? 'T' : 'N', p.M, p.N, p.K, 1.f, A.data(), lda, B.data(),
                 ldb, 0.f, C.data(), p.N);
    } else {
      cblas_sgemm(CblasRowMajor, p.ta ? CblasTrans : CblasNoTrans, p.tb ? CblasTrans : CblasNoTrans,
                  p.M, p.N, p.K, 1.f, A.data(), lda, B.data(), ldb, 0.f, C.data(), p.N);
    }
    benchmark::DoNotOptimize(C.data());
  }
  double cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  double gflop = 2.0 * p.M * p.N * p.K * 1e-9 * static_cast<double>(state.iterations());
  state.counters["GFLOPs"] = benchmark::Counter(gflop, benchmark::Counter::kIsRate);
  state.counters["GFLOP_per_cpu_s"] = gflop / cpu_s;
}

// Args: kind, rows, in_features, out_features.
void shapes(benchmark::internal::Benchmark* b) {
  const int64_t rows = 4096;
  const int64_t layers[][2] = {{288, 288}, {288, 1152}, {1152, 288}, {288, 2000}};
  for (int kind = 0; kind < 3; ++kind)
    for (const auto& l : layers) b->Args({kind, rows, l[0], l[1]});
  b->ArgNames({"kind", "rows", "in", "out"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

// The bf16 GEMM (bf16 operands, f32 accumulation and result) as linear runs it under autocast:
// the operands' conversion from f32 is not timed (a weight's copy is made once per step).
void BM_GemmBf16(benchmark::State& state) {
  Problem p =
      problem(static_cast<Kind>(state.range(0)), state.range(1), state.range(2), state.range(3));
  std::vector<uint16_t> A(p.M * p.K, 0x3f00), B(p.K * p.N, 0x3e80);  // 0.5, 0.25
  std::vector<float> C(p.M * p.N);
  int64_t lda = p.ta ? p.M : p.K, ldb = p.tb ? p.K : p.N;
  omp_set_num_threads(bench_threads());
  state.SetLabel(fg::kernels::cpu::gemm_bf16_implementation(p.ta, p.tb, p.M, p.N, p.K));
  std::clock_t c0 = std::clock();
  for (auto _ : state) {
    if (!fg::kernels::cpu::gemm_bf16(p.ta, p.tb, p.M, p.N, p.K, 1.f, A.data(), lda, B.data(), ldb,
                                     0.f, C.data(), p.N)) {
      state.SkipWithError("oneDNN has no fast bf16 matmul for this CPU");
      break;
    }
    benchmark::DoNotOptimize(C.data());
  }
  double cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  double gflop = 2.0 * p.M * p.N * p.K * 1e-9 * static_cast<double>(state.iterations());
  state.counters["GFLOPs"] = benchmark::Counter(gflop, benchmark::Counter::kIsRate);
  state.counters["GFLOP_per_cpu_s"] = gflop / cpu_s;
}

BENCHMARK_TEMPLATE(BM_Gemm, false)->Name("openblas")->Apply(shapes);
BENCHMARK_TEMPLATE(BM_Gemm, true)->Name("onednn")->Apply(shapes);
BENCHMARK(BM_GemmBf16)->Name("onednn_bf16")->Apply(shapes);

}  // namespace

BENCHMARK_MAIN();
