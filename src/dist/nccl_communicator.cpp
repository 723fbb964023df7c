#include "dist/nccl_communicator.h"

#include "core/check.h"

#if FG_WITH_NCCL
#include <cuda_runtime.h>
#include <nccl.h>

#include <chrono>
#include <thread>

#include "kernels/cuda/cuda_backend.h"

namespace fg::dist {
namespace {

ncclRedOp_t to_nccl(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum:
      return ncclSum;
    case ReduceOp::Average:
      return ncclAvg;
    case ReduceOp::Max:
      return ncclMax;
  }
  return ncclSum;
}

ncclDataType_t to_nccl(DType t) {
  switch (t) {
    case DType::F32:
      return ncclFloat32;
    case DType::I32:
      return ncclInt32;
    case DType::I64:
      return ncclInt64;
    case DType::BF16:
      return ncclBfloat16;
    case DType::F16:
      return ncclFloat16;
  }
  return ncclFloat32;
}

class NcclCommunicator;

// An all-reduce on the communicator's own stream; `done` is recorded after it.
class NcclPendingReduce final : public PendingCollective {
 public:
  NcclPendingReduce(NcclCommunicator& comm, cudaEvent_t done) : comm_(comm), done_(done) {}
  ~NcclPendingReduce() override;
  void wait() override;

 private:
  NcclCommunicator& comm_;
  cudaEvent_t done_;
};

class NcclCommunicator final : public Communicator {
 public:
  NcclCommunicator(Communicator& host, Device device) : host_(host), device_(device) {
    FG_CHECK(device.kind == Device::Kind::CUDA,
             "[Communicator.nccl] expected a CUDA device, got {}", device.to_string());
    auto* cuda = dynamic_cast<kernels::cuda::CudaBackend*>(&backend_for(device));
    FG_CHECK(cuda != nullptr, "[Communicator.nccl] the backend of {} is not the CUDA backend",
             device.to_string());
    FG_CHECK(cuda->device() == device.index,
             "[Communicator.nccl] the CUDA backend runs cuda:{}, not {} (one GPU per process)",
             cuda->device(), device.to_string());
    compute_ = cuda->stream();
    check_cuda(cudaSetDevice(device.index), "init");
    // Rank 0's id reaches every rank over the host communicator (MPI), as the bootstrap.
    ncclUniqueId id{};
    if (host.rank() == 0) check(ncclGetUniqueId(&id), "init");
    host.broadcast(std::span<std::byte>(reinterpret_cast<std::byte*>(&id), sizeof id), 0);
    check(ncclCommInitRank(&comm_, host.world_size(), id, host.rank()), "init");
    check_cuda(cudaStreamCreateWithFlags(&side_, cudaStreamNonBlocking), "init");
  }
  ~NcclCommunicator() override {
    if (side_ != nullptr) {
      cudaStreamSynchronize(side_);
      cudaStreamDestroy(side_);
    }
    if (comm_ != nullptr) ncclCommDestroy(comm_);
  }
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;

  int rank() const override { return host_.rank(); }
  int world_size() const override { return host_.world_size(); }
  int local_rank() const override { return host_.local_rank(); }
  std::string backend_name() const override { return "nccl"; }

  // Host memory: the host communicator's.
  void all_reduce(std::span<float> d, ReduceOp op) override { host_.all_reduce(d, op); }
  void all_reduce(std::span<double> d, ReduceOp op) override { host_.all_reduce(d, op); }
  void all_reduce(std::span<int64_t> d, ReduceOp op) override { host_.all_reduce(d, op); }
  std::unique_ptr<PendingCollective> all_reduce_async(std::span<float> d, ReduceOp op) override {
    return host_.all_reduce_async(d, op);
  }
  void broadcast(std::span<std::byte> data, int root) override { host_.broadcast(data, root); }
  void all_gather(std::span<const std::byte> mine, std::span<std::byte> all) override {
    host_.all_gather(mine, all);
  }

  // Device memory: NCCL on the backend's stream, so the collective is ordered after the kernels
  // that wrote its input and before those that read its output, with no host wait.
  void all_reduce(Tensor& t, ReduceOp op) override {
    if (t.device().is_host()) return host_.all_reduce(t, op);
    void* p = device_pointer(t, "all_reduce");
    check(ncclAllReduce(p, p, static_cast<size_t>(t.numel()), to_nccl(t.dtype()), to_nccl(op),
                        comm_, compute_),
          "all_reduce");
  }

  // On the side stream: it waits for the compute stream's work so far (the bucket's copies), and
  // the compute stream waits for it at PendingCollective::wait().
  std::unique_ptr<PendingCollective> all_reduce_async(Tensor& t, ReduceOp op) override {
    if (t.device().is_host()) return host_.all_reduce_async(t, op);
    void* p = device_pointer(t, "all_reduce_async");
    cudaEvent_t ready = nullptr;
    check_cuda(cudaEventCreateWithFlags(&ready, cudaEventDisableTiming), "all_reduce_async");
    check_cuda(cudaEventRecord(ready, compute_), "all_reduce_async");
    const cudaError_t waited = cudaStreamWaitEvent(side_, ready, 0);
    cudaEventDestroy(ready);  // released once the wait is satisfied
    check_cuda(waited, "all_reduce_async");
    check(ncclAllReduce(p, p, static_cast<size_t>(t.numel()), to_nccl(t.dtype()), to_nccl(op),
                        comm_, side_),
          "all_reduce_async");
    cudaEvent_t done = nullptr;
    check_cuda(cudaEventCreateWithFlags(&done, cudaEventDisableTiming), "all_reduce_async");
    check_cuda(cudaEventRecord(done, side_), "all_reduce_async");
    return std::make_unique<NcclPendingReduce>(*this, done);
  }

  // Any dtype: the bytes travel.
  void broadcast(Tensor& t, int root) override {
    if (t.device().is_host()) return host_.broadcast(t, root);
    FG_CHECK(root >= 0 && root < world_size(),
             "[Communicator.broadcast] expected root in [0, {}), got {}", world_size(), root);
    void* p = device_pointer(t, "broadcast");
    check(ncclBroadcast(p, p, static_cast<size_t>(t.numel() * dtype_size(t.dtype())), ncclUint8,
                        root, comm_, compute_),
          "broadcast");
  }

  Tensor all_gather(const Tensor& t) override {
    if (t.device().is_host()) return host_.all_gather(t);
    const void* p = device_pointer(t, "all_gather");
    Shape shape = t.shape();
    shape.insert(shape.begin(), world_size());
    Tensor out = Tensor::empty(shape, t.dtype(), t.device());
    check(ncclAllGather(p, out.raw_data(), static_cast<size_t>(t.numel() * dtype_size(t.dtype())),
                        ncclUint8, comm_, compute_),
          "all_gather");
    return out;
  }

  // A one-element all-reduce that the host waits for: no rank leaves before every rank came.
  void barrier() override {
    Tensor token = Tensor::zeros({1}, DType::F32, device_);
    all_reduce(token, ReduceOp::Sum);
    cudaEvent_t done = nullptr;
    check_cuda(cudaEventCreateWithFlags(&done, cudaEventDisableTiming), "barrier");
    check_cuda(cudaEventRecord(done, compute_), "barrier");
    wait_for(done, "barrier");
    cudaEventDestroy(done);
  }

  void abort(int code) noexcept override {
    abort_nccl();
    host_.abort(code);
  }

  // Blocks the host until `event` completes, watching NCCL's asynchronous errors meanwhile: a
  // peer that died is reported (and this communicator aborted) instead of waited for forever.
  void wait_for(cudaEvent_t event, const char* op) {
    for (;;) {
      const cudaError_t state = cudaEventQuery(event);
      if (state == cudaSuccess) return;
      if (state != cudaErrorNotReady) check_cuda(state, op);
      ncclResult_t async = ncclSuccess;
      check(ncclCommGetAsyncError(comm_, &async), op);
      check(async, op);
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }
  cudaStream_t compute_stream() const { return compute_; }

  using Communicator::all_gather;
  using Communicator::all_reduce;
  using Communicator::all_reduce_async;
  using Communicator::broadcast;

 private:
  void* device_pointer(const Tensor& t, const char* op) const {
    FG_CHECK(t.defined(), "[Communicator.{}] expected a defined tensor", op);
    FG_CHECK(t.device() == device_,
             "[Communicator.{}] the NCCL communicator runs on {}, got a tensor on {}", op,
             device_.to_string(), t.device().to_string());
    FG_CHECK(comm_ != nullptr,
             "[Communicator.{}] the NCCL communicator was aborted after an earlier failure", op);
    return t.raw_data();
  }

  void abort_nccl() noexcept {
    if (comm_ == nullptr) return;
    ncclCommAbort(comm_);
    comm_ = nullptr;
  }

  void check(ncclResult_t rc, const char* op) {
    if (rc == ncclSuccess) return;
    std::string detail = ncclGetErrorString(rc);
    if (comm_ != nullptr) {
      const char* last = ncclGetLastError(comm_);
      if (last != nullptr && *last != '\0') detail += std::string(": ") + last;
    }
    abort_nccl();
    throw Error(
        fmt::format("[Communicator.{}] NCCL failed on {}: {}", op, device_.to_string(), detail));
  }

  void check_cuda(cudaError_t rc, const char* op) {
    if (rc == cudaSuccess) return;
    abort_nccl();
    throw Error(fmt::format("[Communicator.{}] CUDA failed on {}: {}: {}", op, device_.to_string(),
                            cudaGetErrorName(rc), cudaGetErrorString(rc)));
  }

  Communicator& host_;
  Device device_;
  cudaStream_t compute_ = nullptr;  // the CudaBackend's stream (not owned)
  cudaStream_t side_ = nullptr;     // async all-reduces, so they overlap the compute stream
  ncclComm_t comm_ = nullptr;
};

NcclPendingReduce::~NcclPendingReduce() {
  if (done_ == nullptr) return;
  // Not waited for (an error unwinds): the compute stream still must not reuse the buffer early.
  cudaStreamWaitEvent(comm_.compute_stream(), done_, 0);
  cudaEventDestroy(done_);
}

void NcclPendingReduce::wait() {
  if (done_ == nullptr) return;
  cudaStreamWaitEvent(comm_.compute_stream(), done_, 0);
  comm_.wait_for(done_, "all_reduce_async");  // a throw leaves done_ to the destructor
  cudaEventDestroy(done_);
  done_ = nullptr;
}

}  // namespace

bool nccl_available() {
  return true;
}

std::unique_ptr<Communicator> make_nccl_communicator(Communicator& host, Device device) {
  return std::make_unique<NcclCommunicator>(host, device);
}

}  // namespace fg::dist

#else

namespace fg::dist {

bool nccl_available() {
  return false;
}

std::unique_ptr<Communicator> make_nccl_communicator(Communicator&, Device device) {
  throw Error("[Communicator] this forgather was built without NCCL: cannot exchange tensors on " +
              device.to_string() + " (the cuda preset builds it)");
}

}  // namespace fg::dist

#endif
