// The engine's non-GEMM hot ops at the example model's shapes (B*T = 4096 rows, d_model 288,
// ffn 1152, vocab 2000), forward + backward through the Tensor API, at 2 threads.
// Run: build/dev/bench/bench_ops
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "tensor/ops.h"

namespace {

using namespace fg;

// FG_BENCH_THREADS overrides the default of 2 (1 gives CPU times that load does not distort).
int bench_threads() {
  const char* e = std::getenv("FG_BENCH_THREADS");
  return e ? std::atoi(e) : 2;
}

constexpr int64_t kRows = 4096, kModel = 288, kFfn = 1152, kVocab = 2000;

Tensor randn(const Shape& s, bool grad) {
  Rng rng(1);
  std::vector<float> v(shape_numel(s));
  for (float& x : v) x = static_cast<float>(rng.normal());
  Tensor t = Tensor::from_vector(v, s);
  if (grad) t.set_requires_grad(true);
  return t;
}

// Times forward + backward of f(x); items processed = elements of x.
template <class F>
void fwd_bwd(benchmark::State& state, const Tensor& x, F&& f) {
  set_num_threads(bench_threads());
  Tensor g;
  for (auto _ : state) {
    Tensor y = f(x);
    if (!g.defined()) g = Tensor::full(y.shape(), 0.5f);
    y.backward(g);
    x.impl()->grad.reset();
  }
  state.SetItemsProcessed(state.iterations() * x.numel());
}

void BM_LayerNorm(benchmark::State& s) {
  Tensor x = randn({kRows, kModel}, true), w = randn({kModel}, true), b = randn({kModel}, true);
  fwd_bwd(s, x, [&](const Tensor& t) { return ops::layer_norm(t, w, b, 1e-5f); });
}
void BM_Gelu(benchmark::State& s) {
  Tensor x = randn({kRows, kFfn}, true);
  fwd_bwd(s, x, [](const Tensor& t) { return ops::gelu(t); });
}
void BM_GluSilu(benchmark::State& s) {
  Tensor x = randn({kRows, kFfn}, true), gate = randn({kRows, kFfn}, false);
  fwd_bwd(s, x, [&](const Tensor& t) { return ops::glu(t, gate, ops::Activation::SiLU); });
}
void BM_CrossEntropy(benchmark::State& s) {
  Tensor x = randn({kRows, kVocab}, true);
  std::vector<int64_t> lab(kRows);
  for (int64_t i = 0; i < kRows; ++i) lab[i] = (i * 37) % kVocab;
  Tensor labels = Tensor::from_vector_i64(lab, {kRows});
  fwd_bwd(s, x, [&](const Tensor& t) { return ops::cross_entropy(t, labels); });
}
void BM_Dropout(benchmark::State& s) {
  Tensor x = randn({kRows, kModel}, true);
  Rng rng(3);
  fwd_bwd(s, x, [&](const Tensor& t) { return ops::dropout(t, 0.1f, true, rng); });
}
void BM_Add(benchmark::State& s) {
  Tensor x = randn({kRows, kModel}, true), y = randn({kRows, kModel}, true);
  fwd_bwd(s, x, [&](const Tensor& t) { return ops::add(t, y); });
}
void BM_Embedding(benchmark::State& s) {
  Tensor w = randn({kVocab, kModel}, true);
  std::vector<int64_t> id(kRows);
  for (int64_t i = 0; i < kRows; ++i) id[i] = (i * 13) % kVocab;
  Tensor ids = Tensor::from_vector_i64(id, {8, kRows / 8});
  fwd_bwd(s, w, [&](const Tensor& t) { return ops::embedding(t, ids); });
}
void BM_Permute(benchmark::State& s) {
  Tensor x = randn({8, 512, 6, 48}, true);
  fwd_bwd(s, x, [](const Tensor& t) { return ops::permute(t, {0, 2, 1, 3}); });
}
void BM_LinearGelu(benchmark::State& s) {
  Tensor x = randn({kRows, kModel}, true), w = randn({kFfn, kModel}, true), b = randn({kFfn}, true);
  fwd_bwd(s, x, [&](const Tensor& t) { return ops::linear_act(t, w, b, ops::Activation::GELU); });
}

BENCHMARK(BM_LayerNorm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Gelu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GluSilu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CrossEntropy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dropout)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Add)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Embedding)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Permute)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LinearGelu)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
