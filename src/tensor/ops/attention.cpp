// causal_attention: argument checks, then the fused attention kernels of the backend
// (src/kernels/cpu/attention.*). Saves q, k, v, slopes, out and the row log-sum-exp; the
// backward recomputes P from them (never a T x T tensor). bf16 q, k, v (or f32 ones under
// autocast) run the bf16 kernels where the backend has them; elsewhere they are widened to f32.
#include <cmath>

#include "tensor/autocast.h"
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

void check_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
                     const AttentionOptions& o, const Rng* rng) {
  const char* op = "causal_attention";
  for (const auto& [t, name] : {std::pair{&q, "q"}, std::pair{&k, "k"}, std::pair{&v, "v"}}) {
    check_defined(*t, op, name);
    FG_CHECK_SHAPE(t->dtype() == DType::F32 || t->dtype() == DType::BF16,
                   "[{}] {} must be f32 or bf16, got {}", op, name, dtype_name(t->dtype()));
  }
  FG_CHECK_SHAPE(q.dtype() == k.dtype() && q.dtype() == v.dtype(),
                 "[{}] q, k and v must have the same dtype, got {}, {} and {}", op,
                 dtype_name(q.dtype()), dtype_name(k.dtype()), dtype_name(v.dtype()));
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

// Whether this call runs the bf16 kernel: bf16 inputs or f32 ones under autocast, on a backend
// that has it (CPU copies with AVX512-BF16, CUDA's tensor-core kernels), with an even head_dim
// (the CPU pairs elements along it; CUDA takes the same rule, so both devices pick alike).
// Otherwise bf16 inputs are widened to f32 and run the f32 kernel.
bool attention_in_bf16(const Tensor& q) {
  return (q.dtype() == DType::BF16 || autocast_enabled()) && q.size(3) % 2 == 0 &&
         be(q).supports(kernels::Kernel::Attention, DType::BF16);
}

// t as the kernel reads it (dtype `run`), detached: the saved copy for the backward.
Tensor attention_operand(const Tensor& t, DType run) {
  return t.dtype() == run ? t.detach() : convert_detached(t, run);
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
  // The output and lse are f32 whatever the inputs (the accumulators, not rounded).
  Tensor out = Tensor::empty(q.shape(), DType::F32, q.device());
  Tensor lse = Tensor::empty({s.B, s.H, s.Tq}, DType::F32, q.device());
  const DType run = attention_in_bf16(q) ? DType::BF16 : DType::F32;
  // The inputs as the kernel reads them; backward keeps these (bf16: half the memory).
  Tensor sq = attention_operand(q, run), sk = attention_operand(k, run),
         sv = attention_operand(v, run);
  if (run == DType::BF16)
    be(q).attention_forward_bf16(s, p, sq.data<BFloat16>(), sk.data<BFloat16>(),
                                 sv.data<BFloat16>(), cptr(slopes), mptr(out), mptr(lse));
  else
    be(q).attention_forward(s, p, cptr(sq), cptr(sk), cptr(sv), cptr(slopes), mptr(out), mptr(lse));
  Tensor so = out.detach();
  Tensor ssl = slopes.defined() ? slopes.detach() : Tensor();
  const DType in_dtype = q.dtype();
  autograd::record(
      out, "causal_attention", {&q, &k, &v, &slopes},
      [s, p, sq, sk, sv, ssl, so, lse, in_dtype](const Tensor& g, const std::vector<bool>& need) {
        kernels::Backend& b = be(g);
        auto f32 = [&](const Tensor& t) {
          return Tensor::empty(t.shape(), DType::F32, g.device());
        };
        auto grad = [in_dtype](const Tensor& t) {
          return t.dtype() == in_dtype ? t : convert_detached(t, in_dtype);
        };
        Tensor dq = f32(sq), dk = f32(sk), dv = f32(sv);
        Tensor dsl = ssl.defined() && need[3] ? empty_like(ssl) : Tensor();
        Tensor ws = Tensor::empty({b.attention_backward_workspace_size(s)}, DType::F32, g.device());
        if (sq.dtype() == DType::BF16)  // the forward ran the bf16 kernel
          b.attention_backward_bf16(s, p, sq.data<BFloat16>(), sk.data<BFloat16>(),
                                    sv.data<BFloat16>(), cptr(ssl), cptr(so), cptr(lse), cptr(g),
                                    mptr(dq), mptr(dk), mptr(dv), mptr(dsl), mptr(ws));
        else
          b.attention_backward(s, p, cptr(sq), cptr(sk), cptr(sv), cptr(ssl), cptr(so), cptr(lse),
                               cptr(g), mptr(dq), mptr(dk), mptr(dv), mptr(dsl), mptr(ws));
        return std::vector<Tensor>{need[0] ? grad(dq) : Tensor(), need[1] ? grad(dk) : Tensor(),
                                   need[2] ? grad(dv) : Tensor(), dsl};
      });
  return out;
}

}  // namespace fg::ops
