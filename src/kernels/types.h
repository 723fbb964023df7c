#pragma once
// Small enums and structs shared by every backend's kernels.
#include <cstdint>

namespace fg::kernels {

enum class Activation { Identity, ReLU, GELU, SiLU, Sigmoid, Tanh };
enum class BinaryOp { Add, Sub, Mul };

// Kernel families, for Backend::supports(kernel, dtype): which element types a backend's kernels
// of that family take. Ops ask before they run and refuse an unsupported dtype by name.
enum class Kernel {
  Convert,      // convert(): every listed dtype to and from f32
  Gemm,         // gemm() for f32, gemm_bf16() for bf16 operands (f32 accumulation and result)
  Elementwise,  // fill, binary, activations, dropout, bias epilogue, reductions
  Norm,         // layer_norm, rms_norm
  Softmax,      // softmax, log_softmax, cross_entropy
  Embedding,
  Attention,
};
constexpr const char* kernel_name(Kernel k) {
  constexpr const char* names[] = {"convert", "gemm",      "elementwise", "norm",
                                   "softmax", "embedding", "attention"};
  return names[static_cast<int>(k)];
}

// Inverted dropout fused into a GLU kernel: element i of the output (in backward, of the incoming
// gradient) is kept when its draw random_bits(seed, base + i) is >= p (core/rng.h) and scaled by
// 1 / (1 - p), exactly as dropout_forward does it, so the fused op equals glu then dropout bit for
// bit. p == 0: no dropout.
struct FusedDropout {
  float p = 0;
  uint64_t seed = 0;
  uint64_t base = 0;
};

// Counters of a caching allocator. fresh_allocations counts requests the cache could not serve
// (a steady-state training step should add none).
struct AllocatorStats {
  int64_t fresh_allocations = 0;
  int64_t cache_hits = 0;
  int64_t bytes_in_use = 0;
  int64_t bytes_reserved = 0;  // in use + cached
  int64_t peak_bytes_in_use = 0;
  int64_t peak_bytes_reserved = 0;
  int64_t cache_releases = 0;  // times the idle cache was dropped because it grew too large
};

// One AdamW step's scalars (torch.optim.AdamW's single-tensor path, in f32):
//   p = p * decay ; m = beta1*m + (1-beta1)*g ; v = beta2*v + (1-beta2)*g*g
//   p = p + neg_step_size * m / (sqrt(v) / bias_correction2_sqrt + eps)
struct AdamWScalars {
  float decay;  // 1 - lr * weight_decay
  float beta1, one_minus_beta1;
  float beta2, one_minus_beta2;
  float bias_correction2_sqrt;  // sqrt(1 - beta2^t)
  float eps;
  float neg_step_size;  // -lr / (1 - beta1^t)
};

// SGD's scalars (torch.optim.SGD): d = g + weight_decay*p ; buf = momentum*buf +
// one_minus_dampening*d ; d = nesterov ? d + momentum*buf : buf ; p -= lr*d.
struct SGDScalars {
  float lr, momentum, one_minus_dampening, weight_decay;
};

}  // namespace fg::kernels
