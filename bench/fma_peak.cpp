// The machine's arithmetic peak, the denominator of the engine's speed acceptance: a
// register-resident loop of independent AVX-512 fused multiply-adds (fp32) and of `vdpbf16ps`
// (bf16 pairs into f32), on 1..N OpenMP threads. No memory traffic, so the figure is the cores'
// issue rate at the clock they sustain under that load.
//   fma_peak [--seconds 1.0] [--threads N]
// Prints one line per kernel and thread count: `<kernel> threads <t>: <GFLOP/s>`.
#include <immintrin.h>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Enough independent accumulators to cover the FMA latency on two ports.
constexpr int kChains = 16;
constexpr long kInner = 1 << 14;

__attribute__((target("avx512f"))) double fma_loop(long reps) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * c);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long r = 0; r < reps; ++r)
    for (long i = 0; i < kInner; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  float sum = 0;
  for (int c = 0; c < kChains; ++c) sum += _mm512_reduce_add_ps(acc[c]);
  return sum;  // returned so the loop is not dead code
}

__attribute__((target("avx512f,avx512bf16"))) double dpbf16_loop(long reps) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * c);
  const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-3f), _mm512_set1_ps(2e-3f));
  const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps(3e-3f), _mm512_set1_ps(4e-3f));
  for (long r = 0; r < reps; ++r)
    for (long i = 0; i < kInner; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm512_dpbf16_ps(acc[c], a, b);
  float sum = 0;
  for (int c = 0; c < kChains; ++c) sum += _mm512_reduce_add_ps(acc[c]);
  return sum;
}

// Keeps the loops' results observable.
double volatile g_sink = 0;

// FLOPs of one inner pass on one thread: 16 lanes x 2 (fma) or 32 pairs x 2 (dpbf16).
template <class Loop>
double gflops(Loop loop, double flops_per_rep, int threads, double seconds) {
  long reps = 1;
  for (;;) {  // grow the repetition count until one timed run lasts `seconds`
    double sum = 0;
    const auto t0 = std::chrono::steady_clock::now();
#pragma omp parallel num_threads(threads) reduction(+ : sum)
    sum += loop(reps);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    g_sink = sum;
    if (s >= seconds) return flops_per_rep * static_cast<double>(reps) * threads / s / 1e9;
    reps *= 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0;
  int max_threads = omp_get_max_threads();
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (k == "--seconds" && i + 1 < argc)
      seconds = std::atof(argv[++i]);
    else if (k == "--threads" && i + 1 < argc)
      max_threads = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: fma_peak [--seconds S] [--threads N]\n");
      return 2;
    }
  }
  if (!__builtin_cpu_supports("avx512f")) {
    std::fprintf(stderr, "fma_peak: this CPU has no AVX-512\n");
    return 1;
  }
  const bool bf16 = __builtin_cpu_supports("avx512bf16");
  for (int t = 1; t <= max_threads; ++t) {
    std::printf("fp32_fma threads %d: %.1f GFLOP/s\n", t,
                gflops(fma_loop, 2.0 * 16 * kChains * kInner, t, seconds));
    if (bf16)
      std::printf("bf16_dpbf16 threads %d: %.1f GFLOP/s\n", t,
                  gflops(dpbf16_loop, 2.0 * 32 * kChains * kInner, t, seconds));
  }
  return 0;
}
