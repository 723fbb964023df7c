#pragma once
// Mixed precision (bf16 autocast), as torch.autocast on the CPU: inside an AutocastGuard the GEMM
// ops (linear, linear_act, matmul) given f32 tensors convert their operands to bf16 and run a bf16
// GEMM with f32 accumulation; their outputs and gradients stay f32. causal_attention rounds q, k
// and v to bf16 and runs its bf16 forward kernel where the backend has one (f32 softmax, output
// and gradients). Every other op (norms, softmax, losses, elementwise, the optimizer) runs in f32
// as before. Parameters stay f32 (the master weights); each weight's bf16 copy is made once per
// guard, not per use.
#include "tensor/tensor.h"

namespace fg {

class AutocastGuard {
 public:
  // enabled = false leaves the current state (so callers can write AutocastGuard g(args.bf16)).
  explicit AutocastGuard(bool enabled = true);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool prev_;
  bool outermost_;
};

// Whether GEMM ops on this thread run in bf16 now.
bool autocast_enabled();

// w converted to bf16, cached for the life of the outermost guard: the key is w's storage and its
// in-place version, so a weight written in place (copy_, fill_) is converted again.
Tensor autocast_bf16_weight(const Tensor& w);

// x converted to bf16 for a GEMM, shared by the GEMMs that read the same f32 tensor in one guard
// (the q, k and v projections of one normalised input): one conversion, and one copy saved for
// their backward. The cache does not keep the copy alive; once no backward node holds it, the
// next use converts again.
Tensor autocast_bf16_input(const Tensor& x);

// bf16 weight copies made since start-up (a test checks that a step makes one per weight).
int64_t autocast_weight_conversions();
// bf16 copies of GEMM inputs made since start-up.
int64_t autocast_input_conversions();

}  // namespace fg
