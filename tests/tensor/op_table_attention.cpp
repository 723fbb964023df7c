// Op-table rows: fused causal attention (ALiBi, grouped-query, KV-cache offset, dropout), each
// also with bf16 q, k, v, and one row under autocast (f32 inputs rounded inside the op).
#include "core/error.h"
#include "kernels/ref/attention.h"
#include "op_table.h"
#include "tensor/autocast.h"
#include "tensor/ops.h"

namespace fg::test {

using In = InputSpec;
using K = InputSpec::Kind;

namespace {

struct AttnConfig {
  std::string name;
  kernels::AttentionShape s;
  bool slopes = true;
  float dropout = 0;
  bool causal = true;
  int64_t query_offset = 0;
  float scale = 0;
  bool autocast = false;
};

OpCase attention_row(const AttnConfig& cfg) {
  constexpr uint64_t seed = 99;
  const kernels::AttentionShape s = cfg.s;
  ops::AttentionOptions o;
  o.scale = cfg.scale;
  o.dropout = cfg.dropout;
  o.training = cfg.dropout > 0;
  o.causal = cfg.causal;
  o.query_offset = cfg.query_offset;
  kernels::AttentionParams p;
  p.scale = cfg.scale;
  p.dropout_p = cfg.dropout;
  p.seed = seed;
  p.rng_base = 0;  // a fresh Rng(seed) per call reserves from counter 0
  p.causal = cfg.causal;
  p.query_offset = cfg.query_offset;
  OpCase c;
  c.name = cfg.name;
  c.op = "causal_attention";
  c.inputs = {In{K::Normal, {s.B, s.H, s.Tq, s.Dh}}, In{K::Normal, {s.B, s.Hkv, s.Tk, s.Dh}},
              In{K::Normal, {s.B, s.Hkv, s.Tk, s.Dh}}};
  if (cfg.slopes) c.inputs.push_back(In{K::Positive, {s.H}, 0, false, true});  // slopes stay f32
  bool has_slopes = cfg.slopes, autocast = cfg.autocast;
  c.run = [=](const std::vector<Tensor>& x) {
    AutocastGuard mixed(autocast);
    Rng rng(seed);
    return ops::causal_attention(x[0], x[1], x[2], has_slopes ? x[3] : Tensor(), o, &rng);
  };
  // bf16 q, k, v: the reference sees the rounded inputs; P is rounded to bf16 for PV (and, on a
  // backend without the bf16 kernel or at odd head_dim, the inputs are widened to f32).
  if (!autocast) c.dtypes = {{DType::BF16, kBf16Tol}};
  if (autocast) c.tol = kBf16AttentionTol;
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec out(x[0].size()), lse(s.B * s.H * s.Tq);
    kernels::ref::attention_forward<double>(s, p, x[0].data(), x[1].data(), x[2].data(),
                                            has_slopes ? x[3].data() : nullptr, out.data(),
                                            lse.data());
    return out;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec dq(x[0].size()), dk(x[1].size()), dv(x[2].size()), ds(s.H);
    kernels::ref::attention_backward<double>(
        s, p, x[0].data(), x[1].data(), x[2].data(), has_slopes ? x[3].data() : nullptr, g.data(),
        dq.data(), dk.data(), dv.data(), has_slopes ? ds.data() : nullptr);
    std::vector<Vec> r{dq, dk, dv};
    if (has_slopes) r.push_back(ds);
    return r;
  };
  auto q = [] { return Tensor::zeros({1, 4, 3, 8}); };
  auto kv = [] { return Tensor::zeros({1, 2, 3, 8}); };
  ops::AttentionOptions plain;
  c.errors = {
      {"3-d q",
       [=] {
         ops::causal_attention(Tensor::zeros({4, 3, 8}), kv(), kv(), Tensor(), plain, nullptr);
       },
       "must be [B, H, T, Dh]"},
      {"heads not divisible",
       [=] {
         ops::causal_attention(q(), Tensor::zeros({1, 3, 3, 8}), Tensor::zeros({1, 3, 3, 8}),
                               Tensor(), plain, nullptr);
       },
       "multiple of key/value heads"},
      {"k/v mismatch",
       [=] {
         ops::causal_attention(q(), kv(), Tensor::zeros({1, 2, 4, 8}), Tensor(), plain, nullptr);
       },
       "must have the same shape"},
      {"head_dim mismatch",
       [=] {
         ops::causal_attention(q(), Tensor::zeros({1, 2, 3, 4}), Tensor::zeros({1, 2, 3, 4}),
                               Tensor(), plain, nullptr);
       },
       "batch and head_dim"},
      {"slopes size",
       [=] { ops::causal_attention(q(), kv(), kv(), Tensor::zeros({2}), plain, nullptr); },
       "slopes must be [4]"},
      {"dropout without rng",
       [=] {
         ops::AttentionOptions d;
         d.dropout = 0.1f;
         d.training = true;
         ops::causal_attention(q(), kv(), kv(), Tensor(), d, nullptr);
       },
       "needs an Rng"},
      {"mixed dtypes",
       [=] { ops::causal_attention(q().to(DType::BF16), kv(), kv(), Tensor(), plain, nullptr); },
       "q, k and v must have the same dtype, got bf16, f32 and f32"},
      {"f16 inputs",
       [=] {
         ops::causal_attention(q().to(DType::F16), kv().to(DType::F16), kv().to(DType::F16),
                               Tensor(), plain, nullptr);
       },
       "q must be f32 or bf16, got f16"},
      {"negative offset",
       [=] {
         ops::AttentionOptions d;
         d.query_offset = -1;
         ops::causal_attention(q(), kv(), kv(), Tensor(), d, nullptr);
       },
       "query_offset must be >= 0"},
  };
  return c;
}

}  // namespace

void add_attention_rows(std::vector<OpCase>& t) {
  t.push_back(attention_row({"attention_alibi", {2, 2, 2, 5, 5, 4}}));
  t.push_back(attention_row({"attention_gqa_noalibi", {1, 4, 2, 6, 6, 3}, false}));
  t.push_back(attention_row({"attention_kv_offset", {1, 2, 1, 3, 7, 4}, true, 0, true, 4}));
  t.push_back(attention_row({"attention_dropout", {1, 2, 2, 6, 6, 4}, true, 0.25f}));
  t.push_back(
      attention_row({"attention_full_scaled", {1, 2, 2, 4, 5, 4}, true, 0, false, 0, 0.3f}));
  t.push_back(
      attention_row({"attention_autocast", {1, 4, 2, 9, 9, 6}, true, 0.2f, true, 0, 0, true}));
}

}  // namespace fg::test
