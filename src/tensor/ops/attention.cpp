// causal_attention: argument checks, then the fused attention kernels of the backend
// (src/kernels/cpu/attention.*). Saves q, k, v, slopes, out and the row log-sum-exp; the
// backward recomputes P from them (never a T x T tensor).
#include <cmath>

#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

void check_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
                     const AttentionOptions& o, const Rng* rng) {
  const char* op = "causal_attention";
  check_f32(q, op, "q");
  check_f32(k, op, "k");
  check_f32(v, op, "v");
  check_same_device(q, k, op);
  check_same_device(q, v, op);
  FG_CHECK_SHAPE(q.dim() == 4 && k.dim() == 4 && v.dim() == 4,
                 "[{}] q, k, v must be [B, H, T, Dh]; got q {}, k {}, v {}", op,
                 shape_str(q.shape()), shape_str(k.shape()), shape_str(v.shape()));
  FG_CHECK_SHAPE(k.shape() == v.shape(), "[{}] k {} and v {} must have the same shape", op,
                 shape_str(k.shape()), shape_str(v.shape()));
  int64_t B = q.size(0), H = q.size(1), Dh = q.size(3), Hkv = k.size(1);
  FG_CHECK_SHAPE(k.size(0) == B && k.size(3) == Dh,
                 "[{}] k {} must match q {} in batch and head_dim", op, shape_str(k.shape()),
                 shape_str(q.shape()));
  for (const Tensor* t : {&q, &k})
    for (int64_t e : t->shape())
      FG_CHECK_SHAPE(e > 0, "[{}] every extent must be >= 1; got q {}, k {}", op,
                     shape_str(q.shape()), shape_str(k.shape()));
  int64_t max_dh = be(q).attention_max_head_dim();
  FG_CHECK_SHAPE(Dh <= max_dh, "[{}] head_dim {} exceeds the kernel's limit of {}", op, Dh, max_dh);
  FG_CHECK_SHAPE(Hkv > 0 && H % Hkv == 0,
                 "[{}] query heads {} must be a multiple of key/value heads {}", op, H, Hkv);
  if (slopes.defined()) {
    check_f32(slopes, op, "slopes");
    check_same_device(q, slopes, op);
    FG_CHECK_SHAPE(slopes.dim() == 1 && slopes.size(0) == H,
                   "[{}] slopes must be [{}] (one per query head), got {}", op, H,
                   shape_str(slopes.shape()));
  }
  FG_CHECK_SHAPE(o.dropout >= 0.f && o.dropout < 1.f, "[{}] dropout must be in [0, 1), got {}", op,
                 o.dropout);
  FG_CHECK_SHAPE(!(o.training && o.dropout > 0.f) || rng != nullptr,
                 "[{}] dropout {} in training needs an Rng, got nullptr", op, o.dropout);
  FG_CHECK_SHAPE(o.query_offset >= 0, "[{}] query_offset must be >= 0, got {}", op, o.query_offset);
  FG_CHECK_SHAPE(std::isfinite(o.scale) && o.scale >= 0.f,
                 "[{}] scale must be finite and >= 0 (0 = 1/sqrt(head_dim)), got {}", op, o.scale);
}

}  // namespace

Tensor causal_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
                        const AttentionOptions& opts, Rng* rng) {
  check_attention(q, k, v, slopes, opts, rng);
  kernels::AttentionShape s{q.size(0), q.size(1), k.size(1), q.size(2), k.size(2), q.size(3)};
  kernels::AttentionParams p;
  p.scale = opts.scale;
  p.causal = opts.causal;
  p.query_offset = opts.query_offset;
  if (opts.training && opts.dropout > 0.f) {
    p.dropout_p = opts.dropout;
    p.seed = rng->seed();
    p.row_offset = opts.rows.offset;
    p.row_stride = opts.rows.stride;
    const int64_t per_row = kernels::attention_dropout_draws(s) / s.B;
    p.rng_base = rng->reserve(static_cast<uint64_t>(per_row * opts.rows.global_rows(s.B)));
  }
  Tensor out = empty_like(q);
  Tensor lse = Tensor::empty({s.B, s.H, s.Tq}, DType::F32, q.device());
  be(q).attention_forward(s, p, cptr(q), cptr(k), cptr(v), cptr(slopes), mptr(out), mptr(lse));
  Tensor sq = q.detach(), sk = k.detach(), sv = v.detach(), so = out.detach();
  Tensor ssl = slopes.defined() ? slopes.detach() : Tensor();
  autograd::record(
      out, "causal_attention", {&q, &k, &v, &slopes},
      [s, p, sq, sk, sv, ssl, so, lse](const Tensor& g, const std::vector<bool>& need) {
        kernels::Backend& b = be(g);
        Tensor dq = empty_like(sq), dk = empty_like(sk), dv = empty_like(sv);
        Tensor dsl = ssl.defined() && need[3] ? empty_like(ssl) : Tensor();
        Tensor ws = Tensor::empty({b.attention_backward_workspace_size(s)}, DType::F32, g.device());
        b.attention_backward(s, p, cptr(sq), cptr(sk), cptr(sv), cptr(ssl), cptr(so), cptr(lse),
                             cptr(g), mptr(dq), mptr(dk), mptr(dv), mptr(dsl), mptr(ws));
        return std::vector<Tensor>{need[0] ? dq : Tensor(), need[1] ? dk : Tensor(),
                                   need[2] ? dv : Tensor(), dsl};
      });
  return out;
}

}  // namespace fg::ops
