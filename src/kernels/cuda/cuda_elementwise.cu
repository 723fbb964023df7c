// Elementwise, broadcast, reduction-to-scalar, dropout, embedding and id kernels of CudaBackend.
// Grid-stride loops over one element per thread; semantics follow kernels/ref/elementwise.h.
#include <cuda_fp16.h>

#include "kernels/cuda/cuda_activation.cuh"
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_launch.cuh"
#include "kernels/dropout_mask.h"

namespace fg::kernels::cuda {

namespace {

struct PermuteArgs {
  int64_t ndim;
  int64_t out_shape[8];
  int64_t in_stride_of_out_dim[8];  // x's stride of the dim that y's dim i takes
};

// Round to nearest even, as the CPU's convert (kernels/cpu/half.h): NaN stays a quiet NaN.
__device__ uint16_t f32_to_bf16_bits(float f) {
  const uint32_t u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

__device__ float load_as_f32(const void* src, DType t, int64_t i) {
  if (t == DType::BF16)
    return __uint_as_float(static_cast<uint32_t>(static_cast<const uint16_t*>(src)[i]) << 16);
  if (t == DType::F16) return __half2float(__ushort_as_half(static_cast<const uint16_t*>(src)[i]));
  return static_cast<const float*>(src)[i];
}

__global__ void convert_k(const void* src, DType from, void* dst, DType to, int64_t n) {
  FG_GRID_STRIDE(i, n) {
    const float v = load_as_f32(src, from, i);
    if (to == DType::BF16)
      static_cast<uint16_t*>(dst)[i] = f32_to_bf16_bits(v);
    else if (to == DType::F16)
      static_cast<uint16_t*>(dst)[i] = __half_as_ushort(__float2half_rn(v));
    else
      static_cast<float*>(dst)[i] = v;
  }
}

__global__ void fill_k(float* x, int64_t n, float v) {
  FG_GRID_STRIDE(i, n) x[i] = v;
}

__global__ void permute_k(const float* x, float* y, int64_t n, PermuteArgs a) {
  FG_GRID_STRIDE(i, n) {
    int64_t rest = i, src = 0;
    for (int64_t d = a.ndim - 1; d >= 0; --d) {
      const int64_t c = rest % a.out_shape[d];
      rest /= a.out_shape[d];
      src += c * a.in_stride_of_out_dim[d];
    }
    y[i] = x[src];
  }
}

__global__ void broadcast_rows_k(const float* b, float* y, int64_t n, int64_t cols) {
  FG_GRID_STRIDE(i, n) y[i] = b[i % cols];
}

__global__ void bias_act_k(Activation a, const float* b, float* pre, float* out, int64_t n,
                           int64_t cols) {
  FG_GRID_STRIDE(i, n) {
    float v = pre[i];
    if (b) {
      v += b[i % cols];
      pre[i] = v;
    }
    if (out) out[i] = act_value(a, v);
  }
}

// One thread per column: rows are summed in order, as the reference does.
__global__ void col_sum_k(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) {
  FG_GRID_STRIDE(c, cols) {
    float s = 0.f;
    for (int64_t r = 0; r < rows; ++r) s += g[r * cols + c];
    out[c] = accumulate ? out[c] + s : s;
  }
}

__device__ inline float binary(BinaryOp op, float a, float b) {
  return op == BinaryOp::Add ? a + b : op == BinaryOp::Sub ? a - b : a * b;
}

__global__ void binary_k(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                         int64_t nb) {
  FG_GRID_STRIDE(i, n) out[i] = binary(op, a[i], b[i % nb]);
}

__global__ void binary_grad_a_k(BinaryOp op, const float* b, const float* g, float* ga, int64_t n,
                                int64_t nb) {
  FG_GRID_STRIDE(i, n) ga[i] = op == BinaryOp::Mul ? g[i] * b[i % nb] : g[i];
}

// gb[j] = sum over the broadcast rows of d/db: one thread per j, rows in order.
__global__ void binary_grad_b_k(BinaryOp op, const float* a, const float* g, float* gb, int64_t n,
                                int64_t nb) {
  FG_GRID_STRIDE(j, nb) {
    float s = 0.f;
    for (int64_t i = j; i < n; i += nb)
      s += op == BinaryOp::Mul ? g[i] * a[i] : op == BinaryOp::Sub ? -g[i] : g[i];
    gb[j] = s;
  }
}

__global__ void affine_k(const float* x, float* y, int64_t n, float alpha, float beta) {
  FG_GRID_STRIDE(i, n) y[i] = alpha * x[i] + beta;
}

__global__ void axpy_k(const float* x, float* y, int64_t n, float alpha) {
  FG_GRID_STRIDE(i, n) y[i] += alpha * x[i];
}

// One block; double accumulation (out[1] = sum x, or sqrt of the sum of squares).
__global__ void reduce_k(const float* x, int64_t n, float* out, bool squares) {
  double acc = 0.0;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
    const double v = x[i];
    acc += squares ? v * v : v;
  }
  acc = block_sum(acc);
  if (threadIdx.x == 0) out[0] = static_cast<float>(squares ? sqrt(acc) : acc);
}

__global__ void act_k(Activation a, const float* x, float* y, int64_t n) {
  FG_GRID_STRIDE(i, n) y[i] = act_value(a, x[i]);
}

__global__ void act_grad_k(Activation a, const float* x, const float* gy, float* gx, int64_t n) {
  FG_GRID_STRIDE(i, n) gx[i] = gy[i] * act_grad(a, x[i]);
}

// A launch's fused dropout (kernels/dropout_mask.h) with a recorded launch's replay shift applied;
// p == 0 passes values through without the draws.
struct DeviceDropper {
  DropoutMask mask;
  __device__ DeviceDropper(const FusedDropout& d, const uint64_t* shift)
      : mask(FusedDropout{d.p, d.seed, shifted_rng_base(d.base, shift)}) {}
  __device__ float operator()(float x, int64_t i) const { return mask.p == 0.f ? x : mask(x, i); }
};

__global__ void glu_k(Activation a, const float* v, const float* gate, float* y, int64_t n,
                      FusedDropout fused, const uint64_t* shift) {
  const DeviceDropper drop(fused, shift);
  FG_GRID_STRIDE(i, n) y[i] = drop(v[i] * act_value(a, gate[i]), i);
}

__device__ inline void glu_grad_at(Activation a, float g, float value, float x, float& gv,
                                   float& gg) {
  gv = g * act_value(a, x);
  gg = g * value * act_grad(a, x);
}

__global__ void glu_grad_k(Activation a, const float* v, const float* gate, const float* gy,
                           float* gv, float* gg, int64_t n, FusedDropout fused,
                           const uint64_t* shift) {
  const DeviceDropper drop(fused, shift);
  FG_GRID_STRIDE(i, n) glu_grad_at(a, drop(gy[i], i), v[i], gate[i], gv[i], gg[i]);
}

__global__ void glu_keep_bf16_k(Activation a, const float* v, const float* gate, float* y,
                                uint16_t* v16, uint16_t* gate16, int64_t n, FusedDropout fused,
                                const uint64_t* shift) {
  const DeviceDropper drop(fused, shift);
  FG_GRID_STRIDE(i, n) {
    const float value = v[i], x = gate[i];
    y[i] = drop(value * act_value(a, x), i);
    v16[i] = f32_to_bf16_bits(value);
    gate16[i] = f32_to_bf16_bits(x);
  }
}

__global__ void glu_grad_bf16_k(Activation a, const uint16_t* v16, const uint16_t* gate16,
                                const float* gy, float* gv, float* gg, int64_t n,
                                FusedDropout fused, const uint64_t* shift) {
  const DeviceDropper drop(fused, shift);
  FG_GRID_STRIDE(i, n) {
    glu_grad_at(a, drop(gy[i], i), __uint_as_float(static_cast<uint32_t>(v16[i]) << 16),
                __uint_as_float(static_cast<uint32_t>(gate16[i]) << 16), gv[i], gg[i]);
  }
}

__global__ void dropout_k(const float* x, float* y, int64_t n, FusedDropout fused,
                          const uint64_t* shift) {
  const DeviceDropper drop(fused, shift);
  FG_GRID_STRIDE(i, n) y[i] = drop(x[i], i);
}

__global__ void embedding_k(const float* w, const int64_t* ids, float* out, int64_t n, int64_t D) {
  FG_GRID_STRIDE(i, n * D) out[i] = w[ids[i / D] * D + i % D];
}

// Scatter-add with atomics: the order of additions into a repeated id's row is not fixed, so
// gradients of repeated ids agree with the CPU to rounding, not bit for bit.
__global__ void embedding_grad_k(const int64_t* ids, const float* gy, float* gw, int64_t n,
                                 int64_t D) {
  FG_GRID_STRIDE(i, n * D) atomicAdd(&gw[ids[i / D] * D + i % D], gy[i]);
}

// One block: the count of bad ids and the smallest bad index (n when none, turned into -1).
__global__ void invalid_ids_k(const int64_t* ids, int64_t n, int64_t lo, int64_t hi,
                              int64_t allowed, int64_t* result) {
  __shared__ unsigned long long first;
  if (threadIdx.x == 0) first = static_cast<unsigned long long>(n);
  __syncthreads();
  long long count = 0;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
    const int64_t id = ids[i];
    if (id == allowed || (id >= lo && id < hi)) continue;
    if (count++ == 0) atomicMin(&first, static_cast<unsigned long long>(i));
  }
  count = block_sum(count);
  if (threadIdx.x == 0) {
    result[0] = count;
    result[1] = count ? static_cast<int64_t>(first) : -1;
  }
}

__global__ void widen_k(const int32_t* x, int64_t* y, int64_t n) {
  FG_GRID_STRIDE(i, n) y[i] = x[i];
}

__global__ void shift_left_k(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                             int64_t fill) {
  FG_GRID_STRIDE(i, rows * cols) y[i] = (i % cols) == cols - 1 ? fill : x[i + 1];
}

__global__ void fill_scaled_k(const float* v, float factor, float* y, int64_t n) {
  FG_GRID_STRIDE(i, n) y[i] = v[0] * factor;
}

__global__ void scale_k(float* x, int64_t n, float factor) {
  FG_GRID_STRIDE(i, n) x[i] *= factor;
}

}  // namespace

void CudaBackend::convert(const void* src, DType from, void* dst, DType to, int64_t n) {
  if (n <= 0) return;
  convert_k<<<grid_for(n), kThreads, 0, stream_>>>(src, from, dst, to, n);
  check_launch();
}

void CudaBackend::fill(float* x, int64_t n, float v) {
  if (n <= 0) return;
  fill_k<<<grid_for(n), kThreads, 0, stream_>>>(x, n, v);
  check_launch();
}

void CudaBackend::permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
                          const int64_t* perm) {
  PermuteArgs a{};
  a.ndim = ndim;
  int64_t in_stride[8];
  int64_t n = 1;
  for (int64_t d = ndim - 1; d >= 0; --d) {
    in_stride[d] = n;
    n *= shape[d];
  }
  for (int64_t d = 0; d < ndim; ++d) {
    a.out_shape[d] = shape[perm[d]];
    a.in_stride_of_out_dim[d] = in_stride[perm[d]];
  }
  if (n <= 0) return;
  permute_k<<<grid_for(n), kThreads, 0, stream_>>>(x, y, n, a);
  check_launch();
}

void CudaBackend::broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) {
  if (rows * cols <= 0) return;
  broadcast_rows_k<<<grid_for(rows * cols), kThreads, 0, stream_>>>(b, y, rows * cols, cols);
  check_launch();
}

void CudaBackend::bias_act_forward(Activation a, const float* b, float* pre, float* out,
                                   int64_t rows, int64_t cols) {
  if (rows * cols <= 0 || (!b && !out)) return;
  bias_act_k<<<grid_for(rows * cols), kThreads, 0, stream_>>>(a, b, pre, out, rows * cols, cols);
  check_launch();
}

void CudaBackend::col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) {
  if (cols <= 0) return;
  col_sum_k<<<grid_for(cols), kThreads, 0, stream_>>>(g, out, rows, cols, accumulate);
  check_launch();
}

void CudaBackend::binary_forward(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                                 int64_t nb) {
  if (n <= 0) return;
  binary_k<<<grid_for(n), kThreads, 0, stream_>>>(op, a, b, out, n, nb);
  check_launch();
}

void CudaBackend::binary_backward(BinaryOp op, const float* a, const float* b, const float* g,
                                  float* ga, float* gb, int64_t n, int64_t nb) {
  if (ga && n > 0) {
    binary_grad_a_k<<<grid_for(n), kThreads, 0, stream_>>>(op, b, g, ga, n, nb);
    check_launch();
  }
  if (gb && nb > 0) {
    binary_grad_b_k<<<grid_for(nb), kThreads, 0, stream_>>>(op, a, g, gb, n, nb);
    check_launch();
  }
}

void CudaBackend::affine(const float* x, float* y, int64_t n, float alpha, float beta) {
  if (n <= 0) return;
  affine_k<<<grid_for(n), kThreads, 0, stream_>>>(x, y, n, alpha, beta);
  check_launch();
}

void CudaBackend::axpy(const float* x, float* y, int64_t n, float alpha) {
  if (n <= 0) return;
  axpy_k<<<grid_for(n), kThreads, 0, stream_>>>(x, y, n, alpha);
  check_launch();
}

void CudaBackend::sum(const float* x, int64_t n, float* out) {
  reduce_k<<<1, 1024, 0, stream_>>>(x, n, out, false);
  check_launch();
}

void CudaBackend::l2_norm(const float* x, int64_t n, float* out) {
  reduce_k<<<1, 1024, 0, stream_>>>(x, n, out, true);
  check_launch();
}

void CudaBackend::activation_forward(Activation a, const float* x, float* y, int64_t n) {
  if (n <= 0) return;
  act_k<<<grid_for(n), kThreads, 0, stream_>>>(a, x, y, n);
  check_launch();
}

void CudaBackend::activation_backward(Activation a, const float* x, const float* gy, float* gx,
                                      int64_t n) {
  if (n <= 0) return;
  act_grad_k<<<grid_for(n), kThreads, 0, stream_>>>(a, x, gy, gx, n);
  check_launch();
}

void CudaBackend::glu_forward(Activation a, const float* value, const float* gate, float* y,
                              int64_t n, const FusedDropout& drop) {
  if (n <= 0) return;
  glu_k<<<grid_for(n), kThreads, 0, stream_>>>(a, value, gate, y, n, drop, rng_shift_arg());
  check_launch();
}

void CudaBackend::glu_backward(Activation a, const float* value, const float* gate, const float* gy,
                               float* gvalue, float* ggate, int64_t n, const FusedDropout& drop) {
  if (n <= 0) return;
  glu_grad_k<<<grid_for(n), kThreads, 0, stream_>>>(a, value, gate, gy, gvalue, ggate, n, drop,
                                                    rng_shift_arg());
  check_launch();
}

void CudaBackend::glu_forward_keep_bf16(Activation a, const float* value, const float* gate,
                                        float* y, BFloat16* value16, BFloat16* gate16, int64_t n,
                                        const FusedDropout& drop) {
  if (n <= 0) return;
  glu_keep_bf16_k<<<grid_for(n), kThreads, 0, stream_>>>(
      a, value, gate, y, reinterpret_cast<uint16_t*>(value16), reinterpret_cast<uint16_t*>(gate16),
      n, drop, rng_shift_arg());
  check_launch();
}

void CudaBackend::glu_backward_bf16(Activation a, const BFloat16* value16, const BFloat16* gate16,
                                    const float* gy, float* gvalue, float* ggate, int64_t n,
                                    const FusedDropout& drop) {
  if (n <= 0) return;
  glu_grad_bf16_k<<<grid_for(n), kThreads, 0, stream_>>>(
      a, reinterpret_cast<const uint16_t*>(value16), reinterpret_cast<const uint16_t*>(gate16), gy,
      gvalue, ggate, n, drop, rng_shift_arg());
  check_launch();
}

void CudaBackend::dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed,
                                  uint64_t base) {
  if (n <= 0) return;
  dropout_k<<<grid_for(n), kThreads, 0, stream_>>>(x, y, n, FusedDropout{p, seed, base},
                                                   rng_shift_arg());
  check_launch();
}

namespace {
__global__ void set_u64_k(uint64_t* slot, uint64_t value) {
  *slot = value;
}
}  // namespace

void CudaBackend::set_rng_shift(uint64_t shift) {
  set_u64_k<<<1, 1, 0, stream_>>>(rng_shift_, shift);
  check_launch();
}

void CudaBackend::dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                                   uint64_t base) {
  dropout_forward(gy, gx, n, p, seed, base);  // the same mask and scale
}

void CudaBackend::embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n,
                                    int64_t D) {
  if (n * D <= 0) return;
  embedding_k<<<grid_for(n * D), kThreads, 0, stream_>>>(weight, ids, out, n, D);
  check_launch();
}

void CudaBackend::embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n,
                                     int64_t V, int64_t D) {
  fill(gw, V * D, 0.f);
  if (n * D <= 0) return;
  embedding_grad_k<<<grid_for(n * D), kThreads, 0, stream_>>>(ids, gy, gw, n, D);
  check_launch();
}

void CudaBackend::count_invalid_ids(const int64_t* ids, int64_t n, int64_t lo, int64_t hi,
                                    int64_t allowed, int64_t* result) {
  invalid_ids_k<<<1, 1024, 0, stream_>>>(ids, n, lo, hi, allowed, result);
  check_launch();
}

void CudaBackend::widen_i32(const int32_t* x, int64_t* y, int64_t n) {
  if (n <= 0) return;
  widen_k<<<grid_for(n), kThreads, 0, stream_>>>(x, y, n);
  check_launch();
}

void CudaBackend::shift_left_i64(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                                 int64_t fill) {
  if (rows * cols <= 0) return;
  shift_left_k<<<grid_for(rows * cols), kThreads, 0, stream_>>>(x, y, rows, cols, fill);
  check_launch();
}

void CudaBackend::fill_scaled(const float* v, float factor, float* y, int64_t n) {
  if (n <= 0) return;
  fill_scaled_k<<<grid_for(n), kThreads, 0, stream_>>>(v, factor, y, n);
  check_launch();
}

void CudaBackend::scale(float* x, int64_t n, float factor) {
  if (n <= 0) return;
  scale_k<<<grid_for(n), kThreads, 0, stream_>>>(x, n, factor);
  check_launch();
}

}  // namespace fg::kernels::cuda
