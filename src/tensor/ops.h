#pragma once
// The op API. Every op validates its arguments and throws fg::ShapeError with a message starting
// "[op_name]"; every differentiable op records a backward node when grad is enabled and an input
// requires grad. Outputs are always new contiguous tensors except reshape (a view).
#include <vector>

#include "core/rng.h"
#include "kernels/types.h"
#include "tensor/tensor.h"

namespace fg::ops {

using Activation = kernels::Activation;

// ---- element types ----
// x converted to dtype t (F32, BF16 or F16; round to nearest even); the gradient is converted
// back to x's dtype. Returns x itself when t is already its dtype.
Tensor to_dtype(const Tensor& x, DType t);

// ---- elementwise ----
Tensor add(const Tensor& a, const Tensor& b);  // same shape, or b broadcast over leading dims
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);  // same broadcasting rule as add
Tensor scale(const Tensor& a, float s);
Tensor add_scalar(const Tensor& a, float s);
Tensor sum(const Tensor& a);   // -> scalar
Tensor mean(const Tensor& a);  // -> scalar

// ---- shapes ----
Tensor reshape(const Tensor& a, const Shape& s);                    // view, one -1 allowed
Tensor permute(const Tensor& a, const std::vector<int64_t>& dims);  // materialises
Tensor transpose(const Tensor& a, int64_t d0, int64_t d1);
Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end);  // [start, end)
Tensor cat(const std::vector<Tensor>& xs, int64_t dim);

// ---- GEMM ----
Tensor matmul(const Tensor& a, const Tensor& b);  // [...,M,K]x[K,N] and batched [B,M,K]x[B,K,N]
// x[..., in], w[out, in], b[out] or undefined -> [..., out]
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b);
// act(linear(x, w, b)) with the activation fused after the GEMM.
Tensor linear_act(const Tensor& x, const Tensor& w, const Tensor& b, Activation act);

// ---- lookups, norms, activations ----
Tensor embedding(const Tensor& weight /*[V,D]*/,
                 const Tensor& ids /*I64 or I32 [...]*/);                         // [...,D]
Tensor layer_norm(const Tensor& x, const Tensor& w, const Tensor& b, float eps);  // w,b optional
Tensor rms_norm(const Tensor& x, const Tensor& w, float eps);                     // w optional
Tensor relu(const Tensor& x);
Tensor gelu(const Tensor& x);  // exact erf form
Tensor silu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor apply_activation(const Tensor& x, Activation a);
Tensor glu(const Tensor& value, const Tensor& gate, Activation act);  // value * act(gate)
// dropout(glu(value, gate, act), p, training, rng, rows) in one pass: the same bits and the same
// counters drawn from rng as the two ops.
Tensor glu_dropout(const Tensor& value, const Tensor& gate, Activation act, float p, bool training,
                   Rng& rng, const BatchRows& rows = {});
// Inverted dropout; identity if !training or p == 0. Draws numel counters from rng (for the
// global batch of `rows`, keyed by each row's global position, when rows is not local).
Tensor dropout(const Tensor& x, float p, bool training, Rng& rng, const BatchRows& rows = {});

// ---- softmax and loss (last dim) ----
Tensor softmax(const Tensor& x);
Tensor log_softmax(const Tensor& x);
// logits [N,V] (or [B,T,V]), labels I64/I32 [N] (or [B,T]); mean over labels != ignore_index
// (NaN if none). Fused: saves only the row log-sum-exp besides the logits.
Tensor cross_entropy(const Tensor& logits, const Tensor& labels, int64_t ignore_index = -100);
// Next-token labels on the labels' device: ids [B,T] I64/I32 -> I64 [B,T] with out[b,t] =
// ids[b,t+1] and out[b,T-1] = fill. No gradient.
Tensor shift_labels(const Tensor& ids, int64_t fill);

// ---- attention ----
struct AttentionOptions {
  float scale = 0;    // 0 -> 1/sqrt(head_dim)
  float dropout = 0;  // applied to P in training
  bool training = false;
  bool causal = true;
  int64_t query_offset = 0;  // absolute position of query row 0 (KV-cache decoding)
  BatchRows rows;            // dropout keyed by the global batch row
};
// q [B,H,Tq,Dh], k,v [B,Hkv,Tk,Dh] (H % Hkv == 0), slopes [H] F32 or undefined (no ALiBi).
// S = scale*q.k^T + slope_h*(j - (i+query_offset)); causal mask j > i+query_offset.
// out [B,H,Tq,Dh]. One fused op; backward recomputes from the saved row log-sum-exp.
Tensor causal_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
                        const AttentionOptions& opts, Rng* rng);

}  // namespace fg::ops
