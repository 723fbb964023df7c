#pragma once
// Fused causal attention for the CPU (float): ALiBi bias from per-head slopes computed on the fly,
// grouped-query heads, KV-cache query offset, counter-based attention dropout. The forward is a
// flash-attention style online softmax tiled over keys that keeps only the row log-sum-exp; the
// backward recomputes P from q, k and lse. Never materialises a T x T matrix, never allocates,
// throws or logs; OpenMP over (batch, head, query tile). Results do not depend on the thread count.
// Layouts and math: kernels/attention_shape.h. Preconditions there, plus Dh <=
// kAttentionMaxHeadDim.
#include <cstdint>

#include "kernels/attention_shape.h"
#include "kernels/cpu/isa_namespace.h"
#include "kernels/cpu/kernel_table.h"  // kAttentionMaxHeadDim, AttentionBackwardSchedule

namespace fg::kernels::cpu::FG_ISA_NS {

// Writes (=) out [B,H,Tq,Dh] and lse [B,H,Tq]. slopes [H] may be nullptr (plain causal).
void attention_forward(const AttentionShape& shape, const AttentionParams& params, const float* q,
                       const float* k, const float* v, const float* slopes, float* out, float* lse);

#if defined(__AVX512BF16__)
// The same with bf16 q, k, v (raw bits; Dh even): QK^T and PV run as vdpbf16ps dot products with
// f32 accumulation (P is rounded to bf16 for PV); softmax, ALiBi, mask, dropout (the same stream,
// so the same mask), lse and out are f32. Built only in the copies with AVX512-BF16.
void attention_forward_bf16(const AttentionShape& shape, const AttentionParams& params,
                            const uint16_t* q, const uint16_t* k, const uint16_t* v,
                            const float* slopes, float* out, float* lse);
#endif

// Floats of workspace attention_backward needs: about 2*B*H*Tq*Dh (transposed q and dout tiles)
// plus B*H*Tq*(1 + 1/16).
int64_t attention_backward_workspace_size(const AttentionShape& shape);

// Gradients given dout [B,H,Tq,Dh] and the forward's out and lse (same params, same dropout
// stream). Writes (=) dq [B,H,Tq,Dh], dk and dv [B,Hkv,Tk,Dh] (summed over the query heads that
// share a kv head) and, when slopes and dslopes are both non-null, dslopes [H]. workspace holds
// attention_backward_workspace_size(shape) floats; its contents are scratch.
void attention_backward(const AttentionShape& shape, const AttentionParams& params, const float* q,
                        const float* k, const float* v, const float* slopes, const float* out,
                        const float* lse, const float* dout, float* dq, float* dk, float* dv,
                        float* dslopes, float* workspace,
                        AttentionBackwardSchedule schedule = AttentionBackwardSchedule::Auto);

#if defined(__AVX512BF16__)
// The same with bf16 q, k, v (raw bits; Dh even) and the same workspace size: the five products
// (S, dP, dq, dk, dv) run as vdpbf16ps dot products with f32 accumulation, dout, P and dS rounded
// to bf16 as their operands; D, the softmax recomputation, dslopes and the gradients are f32.
void attention_backward_bf16(const AttentionShape& shape, const AttentionParams& params,
                             const uint16_t* q, const uint16_t* k, const uint16_t* v,
                             const float* slopes, const float* out, const float* lse,
                             const float* dout, float* dq, float* dk, float* dv, float* dslopes,
                             float* workspace,
                             AttentionBackwardSchedule schedule = AttentionBackwardSchedule::Auto);
#endif

}  // namespace fg::kernels::cpu::FG_ISA_NS
