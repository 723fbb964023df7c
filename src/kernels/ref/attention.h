#pragma once
// Reference (oracle) causal attention: naive loops, templated on the scalar type (float, double),
// single-threaded and allocation-free. It recomputes every score from the definition in
// kernels/attention_shape.h, so it shares no tiling or online-softmax logic with the fast kernel.
#include "kernels/attention_shape.h"

namespace fg::kernels::ref {

// Writes (=) out [B,H,Tq,Dh] and lse [B,H,Tq]. slopes [H] may be nullptr (no ALiBi bias).
template <class T>
void attention_forward(const AttentionShape& shape, const AttentionParams& params, const T* q,
                       const T* k, const T* v, const T* slopes, T* out, T* lse);

// Gradients of sum(out * dout). Writes (=) dq [B,H,Tq,Dh], dk and dv [B,Hkv,Tk,Dh] (summed over the
// query heads sharing a kv head) and, when both slopes and dslopes are non-null, dslopes [H]
// (summed over batch, queries and keys). Needs neither out nor lse: it recomputes P.
template <class T>
void attention_backward(const AttentionShape& shape, const AttentionParams& params, const T* q,
                        const T* k, const T* v, const T* slopes, const T* dout, T* dq, T* dk, T* dv,
                        T* dslopes);

}  // namespace fg::kernels::ref
