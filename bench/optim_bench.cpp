// AdamW kernel throughput (the optimizer step of every training step) and global-norm clipping.
#include <benchmark/benchmark.h>

#include <vector>

#include "optim/adamw_kernel.h"
#include "optim/clip_grad.h"

namespace {

void BM_AdamWUpdate(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<float> p(n, 0.5f), g(n, 0.01f), m(n, 0.0f), v(n, 0.0f);
  fg::optim::AdamWScalars s{0.99997f, 0.9f, 0.1f, 0.999f, 0.001f, 0.0447f, 1e-8f, -3e-4f};
  for (auto _ : state) {
    fg::optim::adamw_update(p.data(), g.data(), m.data(), v.data(), n, s);
    benchmark::ClobberMemory();
  }
  // Reads p, g, m, v and writes p, m, v: 7 floats per element.
  state.SetBytesProcessed(state.iterations() * n * 7 * sizeof(float));
}
BENCHMARK(BM_AdamWUpdate)->Arg(1 << 16)->Arg(9'000'000)->Unit(benchmark::kMillisecond);

void BM_ClipGradNorm(benchmark::State& state) {
  const int64_t n = state.range(0);
  fg::Tensor w = fg::Tensor::zeros({n});
  w.set_grad(fg::Tensor::full({n}, 0.01f));
  std::vector<fg::optim::NamedParameter> params = {{"w", w}};
  for (auto _ : state) benchmark::DoNotOptimize(fg::optim::clip_grad_norm(params, 1e9));
  state.SetBytesProcessed(state.iterations() * n * sizeof(float));
}
BENCHMARK(BM_ClipGradNorm)->Arg(9'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
