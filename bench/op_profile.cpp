#include "op_profile.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/timer.h"
#include "tensor/ops.h"

namespace fg::bench {
namespace {

Tensor param(const Shape& s, Rng& rng) {
  std::vector<float> v(static_cast<size_t>(shape_numel(s)));
  for (auto& x : v) x = static_cast<float>(rng.uniform(-0.05, 0.05));
  Tensor t = Tensor::from_vector(v, s);
  t.set_requires_grad(true);
  return t;
}

struct Row {
  std::string name;
  int64_t count;  // per training step
  double fwd_ms, bwd_ms;
};

// Median-free: best of `reps` (the machine is shared; the minimum is the least disturbed).
Row time_op(const std::string& name, int64_t count, int64_t reps,
            const std::function<Tensor()>& forward) {
  double best_f = 1e30, best_b = 1e30;
  for (int64_t r = 0; r < reps; ++r) {
    Timer t;
    Tensor y = forward();
    const double f = t.seconds();
    Tensor g = Tensor::full(y.shape(), 1e-3f);
    Timer tb;
    y.backward(g);
    best_f = std::min(best_f, f);
    best_b = std::min(best_b, tb.seconds());
  }
  return {name, count, best_f * 1e3, best_b * 1e3};
}

}  // namespace

void profile_ops(int64_t B, int64_t T, int64_t reps) {
  const int64_t D = 288, F = 1152, V = 2000, H = 6, L = 6, N = B * T;
  Rng rng(7);
  Tensor x = param({B, T, D}, rng), h = param({B, T, F}, rng);
  Tensor w_dd = param({D, D}, rng), b_d = param({D}, rng), w_fd = param({F, D}, rng);
  Tensor w_df = param({D, F}, rng), w_vd = param({V, D}, rng), b_v = param({V}, rng);
  Tensor q = param({B, H, T, D / H}, rng), k = param({B, H, T, D / H}, rng);
  Tensor v = param({B, H, T, D / H}, rng), slopes = param({H}, rng);
  Tensor ln_w = param({D}, rng), ln_b = param({D}, rng), emb = param({V, D}, rng);
  std::vector<int64_t> idv(static_cast<size_t>(N));
  for (auto& i : idv) i = static_cast<int64_t>(rng.below(static_cast<uint64_t>(V)));
  Tensor ids = Tensor::from_vector_i64(idv, {B, T}), labels = Tensor::from_vector_i64(idv, {N});
  Tensor x4 = param({B, T, H, D / H}, rng);
  ops::AttentionOptions ao;
  ao.dropout = 0.1f;
  ao.training = true;
  std::vector<Row> rows = {
      time_op("linear DxD +bias (q,k,v,o)", 4 * L, reps, [&] { return ops::linear(x, w_dd, b_d); }),
      time_op("linear D->F (up, gate)", 2 * L, reps,
              [&] { return ops::linear(x, w_fd, Tensor()); }),
      time_op("linear F->D (down)", L, reps, [&] { return ops::linear(h, w_df, Tensor()); }),
      time_op("glu silu [N,F]", L, reps, [&] { return ops::glu(h, h, ops::Activation::SiLU); }),
      time_op("attention alibi+dropout", L, reps,
              [&] { return ops::causal_attention(q, k, v, slopes, ao, &rng); }),
      time_op("permute split/merge heads", 4 * L, reps,
              [&] {
                return ops::permute(x4, {0, 2, 1, 3});
              }),
      time_op("layer_norm [N,D]", 2 * L, reps,
              [&] { return ops::layer_norm(x, ln_w, ln_b, 1e-5f); }),
      time_op("dropout [N,D]", 2 * L + 1, reps, [&] { return ops::dropout(x, 0.1f, true, rng); }),
      time_op("dropout [N,F]", L, reps, [&] { return ops::dropout(h, 0.1f, true, rng); }),
      time_op("add residual [N,D]", 2 * L, reps, [&] { return ops::add(x, x); }),
      time_op("embedding + scale", 1, reps,
              [&] { return ops::scale(ops::embedding(emb, ids), 16.97f); }),
      time_op("output linear D->V +bias", 1, reps, [&] { return ops::linear(x, w_vd, b_v); }),
      time_op("cross_entropy [N,V]", 1, reps,
              [&] {
                return ops::cross_entropy(ops::reshape(ops::linear(x, w_vd, b_v), {N, V}), labels);
              }),
  };
  double total = 0;
  for (auto& r : rows) total += static_cast<double>(r.count) * (r.fwd_ms + r.bwd_ms);
  std::printf("per-op profile at batch %lld x seq %lld (best of %lld; x count per step):\n",
              static_cast<long long>(B), static_cast<long long>(T), static_cast<long long>(reps));
  std::printf("  %-32s %5s %10s %10s %12s %6s\n", "op", "count", "fwd ms", "bwd ms", "step ms",
              "share");
  for (auto& r : rows) {
    const double step = static_cast<double>(r.count) * (r.fwd_ms + r.bwd_ms);
    std::printf("  %-32s %5lld %10.2f %10.2f %12.1f %5.1f%%\n", r.name.c_str(),
                static_cast<long long>(r.count), r.fwd_ms, r.bwd_ms, step, 100.0 * step / total);
  }
  std::printf("  (cross_entropy row includes its output linear)\n  sum: %.1f ms\n", total);
}

}  // namespace fg::bench
