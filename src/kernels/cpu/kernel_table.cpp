// This ISA copy's kernel table (compiled once per ISA, see kernel_table.h).
#include "kernels/cpu/kernel_table.h"

#include "kernels/cpu/attention.h"
#include "kernels/cpu/convert.h"
#include "kernels/cpu/copy.h"
#include "kernels/cpu/elementwise.h"
#include "kernels/cpu/norm.h"
#include "kernels/cpu/softmax.h"

namespace fg::kernels::cpu::FG_ISA_NS {

constinit const KernelTable kKernelTable = {
    .strided_copy = strided_copy,
    .permute = permute,
    .embedding_forward = embedding_forward,
    .embedding_backward = embedding_backward,
    .convert = convert,
    .fill = fill,
    .broadcast_rows = broadcast_rows,
    .bias_act_forward = bias_act_forward,
    .col_sum = col_sum,
    .binary_forward = binary_forward,
    .binary_backward = binary_backward,
    .affine = affine,
    .axpy = axpy,
    .sum = sum,
    .activation_forward = activation_forward,
    .activation_backward = activation_backward,
    .glu_forward = glu_forward,
    .glu_forward_keep_bf16 = glu_forward_keep_bf16,
    .glu_backward_bf16 = glu_backward_bf16,
    .glu_backward = glu_backward,
    .dropout_forward = dropout_forward,
    .dropout_backward = dropout_backward,
    .layer_norm_forward = layer_norm_forward,
    .layer_norm_backward = layer_norm_backward,
    .rms_norm_forward = rms_norm_forward,
    .rms_norm_backward = rms_norm_backward,
    .softmax_forward = softmax_forward,
    .softmax_backward = softmax_backward,
    .log_softmax_forward = log_softmax_forward,
    .log_softmax_backward = log_softmax_backward,
    .cross_entropy_forward = cross_entropy_forward,
    .cross_entropy_backward = cross_entropy_backward,
    .attention_forward = attention_forward,
#if defined(__AVX512BF16__)
    .attention_forward_bf16 = attention_forward_bf16,
#else
    .attention_forward_bf16 = nullptr,
#endif
    .attention_backward_workspace_size = attention_backward_workspace_size,
    .attention_backward = attention_backward,
#if defined(__AVX512BF16__)
    .attention_backward_bf16 = attention_backward_bf16,
#else
    .attention_backward_bf16 = nullptr,
#endif
};

}  // namespace fg::kernels::cpu::FG_ISA_NS
