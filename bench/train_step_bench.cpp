// A forward+backward+SGD step of a model shaped like the example (batch 8 x seq 512, d_model 288,
// 6 heads, ffn 1152, vocab 2000, pre-LN blocks with ALiBi attention) built from engine ops only.
// It locates engine overhead between the kernels; the product's end-to-end benchmark lives with
// the trainer. Run: build/dev/bench/bench_train_step [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>

#include "kernels/backend.h"
#include "tensor/ops.h"

namespace {

using namespace fg;

constexpr int64_t kB = 8, kT = 512, kD = 288, kH = 6, kF = 1152, kV = 2000;

int bench_threads() {
  const char* e = std::getenv("FG_BENCH_THREADS");
  return e ? std::atoi(e) : 2;
}

Tensor param(const Shape& s, Rng& rng, float std) {
  std::vector<float> v(shape_numel(s));
  for (float& x : v) x = static_cast<float>(rng.normal(0, std));
  Tensor t = Tensor::from_vector(v, s);
  t.set_requires_grad(true);
  return t;
}

struct Block {
  Tensor ln1_w, ln1_b, w_qkv, b_qkv, w_o, b_o, ln2_w, ln2_b, w_up, b_up, w_down, b_down;
  Block(Rng& r)
      : ln1_w(param({kD}, r, 0.02f)),
        ln1_b(param({kD}, r, 0.02f)),
        w_qkv(param({3 * kD, kD}, r, 0.02f)),
        b_qkv(param({3 * kD}, r, 0.02f)),
        w_o(param({kD, kD}, r, 0.02f)),
        b_o(param({kD}, r, 0.02f)),
        ln2_w(param({kD}, r, 0.02f)),
        ln2_b(param({kD}, r, 0.02f)),
        w_up(param({kF, kD}, r, 0.02f)),
        b_up(param({kF}, r, 0.02f)),
        w_down(param({kD, kF}, r, 0.02f)),
        b_down(param({kD}, r, 0.02f)) {}

  Tensor forward(const Tensor& x, const Tensor& slopes) const {
    Tensor h = ops::layer_norm(x, ln1_w, ln1_b, 1e-5f);
    Tensor qkv = ops::reshape(ops::linear(h, w_qkv, b_qkv), {kB, kT, 3, kH, kD / kH});
    qkv = ops::permute(qkv, {2, 0, 3, 1, 4});  // [3, B, H, T, Dh]
    Tensor q = ops::reshape(ops::slice(qkv, 0, 0, 1), {kB, kH, kT, kD / kH});
    Tensor k = ops::reshape(ops::slice(qkv, 0, 1, 2), {kB, kH, kT, kD / kH});
    Tensor v = ops::reshape(ops::slice(qkv, 0, 2, 3), {kB, kH, kT, kD / kH});
    Tensor a = ops::causal_attention(q, k, v, slopes, {}, nullptr);
    a = ops::reshape(ops::permute(a, {0, 2, 1, 3}), {kB, kT, kD});
    Tensor x1 = ops::add(x, ops::linear(a, w_o, b_o));
    Tensor f = ops::linear_act(ops::layer_norm(x1, ln2_w, ln2_b, 1e-5f), w_up, b_up,
                               ops::Activation::GELU);
    return ops::add(x1, ops::linear(f, w_down, b_down));
  }
  std::vector<Tensor*> params() {
    return {&ln1_w, &ln1_b, &w_qkv, &b_qkv, &w_o,    &b_o,
            &ln2_w, &ln2_b, &w_up,  &b_up,  &w_down, &b_down};
  }
};

void BM_TrainStep(benchmark::State& state) {
  set_num_threads(bench_threads());
  Rng rng(5);
  Tensor emb = param({kV, kD}, rng, 0.02f), lnf_w = param({kD}, rng, 0.02f);
  std::vector<Block> blocks;
  for (int i = 0; i < state.range(0); ++i) blocks.emplace_back(rng);
  std::vector<float> sl(kH);
  for (int64_t h = 0; h < kH; ++h) sl[h] = static_cast<float>(std::pow(2.0, -8.0 * (h + 1) / kH));
  Tensor slopes = Tensor::from_vector(sl, {kH});
  std::vector<int64_t> id(kB * kT), lab(kB * kT);
  for (int64_t i = 0; i < kB * kT; ++i) {
    id[i] = static_cast<int64_t>(rng.below(kV));
    lab[i] = static_cast<int64_t>(rng.below(kV));
  }
  Tensor ids = Tensor::from_vector_i64(id, {kB, kT}),
         labels = Tensor::from_vector_i64(lab, {kB, kT});
  std::vector<Tensor*> params{&emb, &lnf_w};
  for (Block& b : blocks)
    for (Tensor* p : b.params()) params.push_back(p);
  kernels::Backend& be = backend_for(Device::cpu());
  for (auto _ : state) {
    Tensor x = ops::embedding(emb, ids);
    for (const Block& b : blocks) x = b.forward(x, slopes);
    Tensor logits = ops::linear(ops::layer_norm(x, lnf_w, Tensor(), 1e-5f), emb, Tensor());
    Tensor loss = ops::cross_entropy(logits, labels);
    loss.backward();
    NoGradGuard ng;
    for (Tensor* p : params) {
      be.axpy(p->grad().data<float>(), p->data<float>(), p->numel(), -1e-3f);
      p->zero_grad();
    }
  }
  state.SetItemsProcessed(state.iterations() * kB * kT);
  kernels::AllocatorStats s = be.allocator_stats();
  state.counters["peak_MB"] = static_cast<double>(s.peak_bytes_reserved) / 1e6;
  state.counters["fresh_allocs"] = static_cast<double>(s.fresh_allocations);
  state.counters["cache_releases"] = static_cast<double>(s.cache_releases);
}

BENCHMARK(BM_TrainStep)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
