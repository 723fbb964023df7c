#pragma once
// Collective operations across the ranks of a data-parallel run. Made once in main (or a test)
// and passed down; the single-process implementation makes every collective a no-op copy, so
// callers never branch on the world size. Every rank must call the same collectives in the same
// order with the same sizes, as with MPI.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace fg::dist {

enum class ReduceOp { Sum, Average, Max };

// Where this process sits in the job, read from the launcher's environment.
struct RankInfo {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  int local_world_size = 1;
};

// A collective under way; wait() returns once its buffer holds the result.
class PendingCollective {
 public:
  virtual ~PendingCollective() = default;
  virtual void wait() = 0;
};

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int world_size() const = 0;
  virtual int local_rank() const = 0;
  virtual std::string backend_name() const = 0;
  bool is_main() const { return rank() == 0; }

  // In place on every rank. Average divides the sum by world_size.
  virtual void all_reduce(std::span<float> data, ReduceOp op) = 0;
  virtual void all_reduce(std::span<double> data, ReduceOp op) = 0;
  virtual void all_reduce(std::span<int64_t> data, ReduceOp op) = 0;
  // Starts an in-place all-reduce and returns at once; `data` must stay alive and untouched
  // until wait(). The default runs it to completion here.
  virtual std::unique_ptr<PendingCollective> all_reduce_async(std::span<float> data, ReduceOp op);
  // Overwrites `data` on every rank with root's bytes.
  virtual void broadcast(std::span<std::byte> data, int root) = 0;
  // `all` holds world_size * mine.size() bytes: rank r's contribution at r * mine.size().
  virtual void all_gather(std::span<const std::byte> mine, std::span<std::byte> all) = 0;
  virtual void barrier() = 0;
  // Ends every rank of the job with `code` (an unrecoverable error on this rank); returns only
  // in a world of one.
  virtual void abort(int code) noexcept = 0;

  // Tensor forms: contiguous F32 tensors. Virtual so a device communicator (NCCL) can take
  // device memory directly; the default goes through host pointers and needs CPU tensors.
  virtual void all_reduce(Tensor& t, ReduceOp op);
  // Starts an in-place all-reduce of `t`, which must stay alive until wait(); for the gradient
  // buckets' overlap with backward. On a device, wait() orders the device's later work after it.
  virtual std::unique_ptr<PendingCollective> all_reduce_async(Tensor& t, ReduceOp op);
  virtual void broadcast(Tensor& t, int root);
  // [world_size, ...t.shape]: every rank's tensor stacked in rank order.
  virtual Tensor all_gather(const Tensor& t);

  // Conveniences built on the raw forms.
  std::vector<std::string> all_gather_strings(const std::string& mine);
  double all_reduce_scalar(double value, ReduceOp op);
};

// The world of one process: rank 0 of 1.
class SingleProcessCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int world_size() const override { return 1; }
  int local_rank() const override { return 0; }
  std::string backend_name() const override { return "single"; }
  void all_reduce(std::span<float>, ReduceOp) override {}
  void all_reduce(std::span<double>, ReduceOp) override {}
  void all_reduce(std::span<int64_t>, ReduceOp) override {}
  void broadcast(std::span<std::byte>, int root) override;
  void all_gather(std::span<const std::byte> mine, std::span<std::byte> all) override;
  void barrier() override {}
  void abort(int) noexcept override {}
  // Tensors on any device and of any dtype: identities (the gather copies).
  void all_reduce(Tensor&, ReduceOp) override {}
  std::unique_ptr<PendingCollective> all_reduce_async(Tensor& t, ReduceOp op) override;
  void broadcast(Tensor& t, int root) override;
  Tensor all_gather(const Tensor& t) override;
  using Communicator::all_reduce_async;
};

// Rank and world from the launcher's environment: Open MPI (OMPI_COMM_WORLD_*), PMI/Hydra
// (PMI_RANK, PMI_SIZE) or Slurm (SLURM_PROCID, SLURM_NTASKS); rank 0 of 1 when none is set.
RankInfo rank_info_from_environment();

// Whether this build can run more than one rank.
bool mpi_available();

// The communicator for this process: MPI when the launcher's environment says world_size > 1
// (or `force_mpi`), else single-process. Throws fg::Error when several ranks were launched but
// this build has no MPI.
std::unique_ptr<Communicator> make_communicator(bool force_mpi = false);

// Whether $FG_NCCL asks for the NCCL path in a world of one ("1"; unset, "" or "0": no), so that
// a single GPU checks the device collectives against the plain run. Other values are refused.
bool nccl_requested_by_environment();

// The communicator for tensors on `device` when `host` cannot take them itself: for CUDA memory,
// an NCCL communicator bootstrapped over `host`, when the world has several ranks or
// nccl_requested_by_environment(). Null for CPU memory, and for a GPU in a world of one without
// the request (nothing to exchange). Throws fg::Error when several ranks compute on GPUs and this
// build has no NCCL.
std::unique_ptr<Communicator> make_device_communicator(Communicator& host, Device device);

}  // namespace fg::dist
