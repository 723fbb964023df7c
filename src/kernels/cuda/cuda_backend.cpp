// CudaBackend's construction, memory (a cudaMallocAsync pool that keeps freed blocks), host<->
// device copies, plain copies, supports() and the attention's launch limits. The kernels live in
// the .cu files.
#include "kernels/cuda/cuda_backend.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "kernels/cuda/cuda_attention_plan.h"
#include "kernels/cuda/cuda_check.h"

namespace fg::kernels::cuda {

namespace {
constexpr size_t kGemmWorkspaceBytes = size_t(32) << 20;  // cuBLASLt's scratch for split-K etc.
}

CudaBackend::CudaBackend(int device) : device_(device) {
  FG_CUDA_CHECK(cudaSetDevice(device));
  FG_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  FG_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool_, device));
  // Keep every freed block in the pool (the default threshold 0 returns memory at each sync).
  uint64_t keep_all = UINT64_MAX;
  FG_CUDA_CHECK(cudaMemPoolSetAttribute(pool_, cudaMemPoolAttrReleaseThreshold, &keep_all));
  FG_CUBLAS_CHECK(cublasLtCreate(&lt_));
  gemm_workspace_bytes_ = kGemmWorkspaceBytes;
  FG_CUDA_CHECK(cudaMalloc(&gemm_workspace_, gemm_workspace_bytes_));
  FG_CUDA_CHECK(cudaMalloc(&rng_shift_, sizeof(uint64_t)));
  FG_CUDA_CHECK(cudaMemset(rng_shift_, 0, sizeof(uint64_t)));
}

CudaBackend::~CudaBackend() {
  // Destructors must not throw: errors here (a device already lost) are ignored.
  cudaStreamSynchronize(stream_);
  cudaFree(gemm_workspace_);
  cudaFree(rng_shift_);
  cublasLtDestroy(lt_);
  cudaStreamDestroy(stream_);
}

void* CudaBackend::allocate(size_t bytes) {
  if (bytes == 0) bytes = 1;  // a distinct pointer for empty tensors, as the CPU allocator gives
  if (capturing_) {           // a memory node of the recording (the stream's device pool)
    void* p = nullptr;
    FG_CUDA_CHECK(cudaMallocAsync(&p, bytes, stream_));
    note_allocation(bytes);
    graph_blocks_.insert(p);
    return p;
  }
  uint64_t reserved_before = 0;
  FG_CUDA_CHECK(
      cudaMemPoolGetAttribute(pool_, cudaMemPoolAttrReservedMemCurrent, &reserved_before));
  void* p = nullptr;
  FG_CUDA_CHECK(cudaMallocAsync(&p, bytes, pool_, stream_));
  uint64_t reserved_after = 0;
  FG_CUDA_CHECK(cudaMemPoolGetAttribute(pool_, cudaMemPoolAttrReservedMemCurrent, &reserved_after));
  if (reserved_after > reserved_before)
    ++stats_.fresh_allocations;
  else
    ++stats_.cache_hits;
  note_allocation(bytes);
  stats_.bytes_reserved = static_cast<int64_t>(reserved_after);
  stats_.peak_bytes_reserved = std::max(stats_.peak_bytes_reserved, stats_.bytes_reserved);
  return p;
}

void CudaBackend::note_allocation(size_t bytes) {
  stats_.bytes_in_use += static_cast<int64_t>(bytes);
  stats_.peak_bytes_in_use = std::max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
}

void CudaBackend::deallocate(void* p, size_t bytes) {
  if (p == nullptr) return;
  stats_.bytes_in_use -= static_cast<int64_t>(bytes == 0 ? 1 : bytes);
  if (capturing_ || graph_blocks_.count(p) != 0) {
    held_.push_back(p);  // a recorded kernel may still address it
    return;
  }
  // Stream-ordered: the block returns to the pool once the kernels already issued are done.
  cudaFreeAsync(p, stream_);
}

AllocatorStats CudaBackend::allocator_stats() const {
  return stats_;
}

void CudaBackend::empty_cache() {
  FG_CUDA_CHECK(cudaStreamSynchronize(stream_));
  FG_CUDA_CHECK(cudaMemPoolTrimTo(pool_, 0));
  uint64_t reserved = 0;
  FG_CUDA_CHECK(cudaMemPoolGetAttribute(pool_, cudaMemPoolAttrReservedMemCurrent, &reserved));
  stats_.bytes_reserved = static_cast<int64_t>(reserved);
  ++stats_.cache_releases;
}

void CudaBackend::copy_to_host(const void* src, void* host_dst, int64_t bytes) {
  refuse_while_capturing("copy_to_host");
  if (bytes <= 0) return;
  FG_CUDA_CHECK(
      cudaMemcpyAsync(host_dst, src, static_cast<size_t>(bytes), cudaMemcpyDeviceToHost, stream_));
  FG_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::copy_from_host(const void* host_src, void* dst, int64_t bytes) {
  refuse_while_capturing("copy_from_host");
  if (bytes <= 0) return;
  FG_CUDA_CHECK(
      cudaMemcpyAsync(dst, host_src, static_cast<size_t>(bytes), cudaMemcpyHostToDevice, stream_));
  // host_src may be reused (pageable memory is staged, but only a sync makes that a promise).
  FG_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::synchronize() {
  refuse_while_capturing("synchronize");
  FG_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void CudaBackend::copy(const void* src, void* dst, int64_t bytes) {
  if (bytes <= 0 || src == dst) return;
  FG_CUDA_CHECK(
      cudaMemcpyAsync(dst, src, static_cast<size_t>(bytes), cudaMemcpyDeviceToDevice, stream_));
}

void CudaBackend::strided_copy(const void* src, void* dst, int64_t outer, int64_t inner,
                               int64_t src_stride, int64_t dst_stride, int64_t elem_bytes) {
  if (outer <= 0 || inner <= 0) return;
  if (outer == 1)  // one row: its strides do not matter (cudaMemcpy2D wants pitch >= width)
    return copy(src, dst, inner * elem_bytes);
  FG_CUDA_CHECK(cudaMemcpy2DAsync(dst, static_cast<size_t>(dst_stride * elem_bytes), src,
                                  static_cast<size_t>(src_stride * elem_bytes),
                                  static_cast<size_t>(inner * elem_bytes),
                                  static_cast<size_t>(outer), cudaMemcpyDeviceToDevice, stream_));
}

bool CudaBackend::supports(Kernel k, DType t) const {
  switch (k) {
    case Kernel::Convert:
      return t == DType::F32 || t == DType::BF16 || t == DType::F16;
    case Kernel::Gemm:  // gemm_bf16: bf16 operands, f32 accumulation and result (cuBLASLt)
      return t == DType::F32 || t == DType::BF16;
    case Kernel::Attention:  // attention_*_bf16: tensor cores (cuda_attention_bf16*.cu)
      return t == DType::F32 || t == DType::BF16;
    default:  // every other family is f32 only
      return t == DType::F32;
  }
}

int64_t CudaBackend::attention_max_head_dim() const {
  return attention_plan::kMaxHeadDim;
}

void check_attention_shape(const AttentionShape& s) {
  // Grid: x counts (b, head) pairs (up to 2^31 - 1), y the row tiles of Tq or Tk (up to 65535).
  const int64_t max_tiles = 65535, longest = std::max(s.Tq, s.Tk);
  if (attention_plan::ceil_div(longest, attention_plan::kRowTile) > max_tiles ||
      s.B * s.H > INT32_MAX)
    throw Error("[attention] the CUDA kernels take at most " +
                std::to_string(max_tiles * attention_plan::kRowTile) +
                " positions and 2^31 - 1 (batch, head) pairs; got B=" + std::to_string(s.B) +
                " H=" + std::to_string(s.H) + " Tq=" + std::to_string(s.Tq) +
                " Tk=" + std::to_string(s.Tk));
}

}  // namespace fg::kernels::cuda
