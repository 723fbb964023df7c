#include "dist/mpi_communicator.h"

#include "core/check.h"

#if FG_WITH_MPI
#include <mpi.h>

#include <climits>
#include <cstdlib>

namespace fg::dist {
namespace {

void check_mpi(int rc, const char* op) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw Error(fmt::format("[Communicator.{}] MPI failed: {}", op, std::string(text, len)));
}

MPI_Op to_mpi(ReduceOp op) {
  return op == ReduceOp::Max ? MPI_MAX : MPI_SUM;
}

// MPI counts are int: larger buffers go in chunks.
constexpr size_t kMaxChunk = INT_MAX / 2;

void finalize_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

// An MPI_Iallreduce under way; Average divides once it is complete.
class MpiPendingReduce final : public PendingCollective {
 public:
  MpiPendingReduce(MPI_Request request, std::span<float> data, float divide_by)
      : request_(request), data_(data), divide_by_(divide_by) {}
  ~MpiPendingReduce() override {
    if (request_ != MPI_REQUEST_NULL) MPI_Wait(&request_, MPI_STATUS_IGNORE);
  }
  void wait() override {
    if (request_ == MPI_REQUEST_NULL) return;
    check_mpi(MPI_Wait(&request_, MPI_STATUS_IGNORE), "all_reduce_async");
    if (divide_by_ != 1.0f)
      for (float& v : data_) v /= divide_by_;
  }

 private:
  MPI_Request request_;
  std::span<float> data_;
  float divide_by_;
};

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      check_mpi(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "init");
      std::atexit(finalize_at_exit);  // MPI can be initialised only once per process
    }
    check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "init");
    check_mpi(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "init");
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &world_);
    MPI_Comm local;
    check_mpi(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local),
              "init");
    MPI_Comm_rank(local, &local_rank_);
    MPI_Comm_free(&local);
  }
  ~MpiCommunicator() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&comm_);
  }
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int world_size() const override { return world_; }
  int local_rank() const override { return local_rank_; }
  std::string backend_name() const override { return "mpi"; }

  void all_reduce(std::span<float> d, ReduceOp op) override { reduce(d, MPI_FLOAT, op); }
  void all_reduce(std::span<double> d, ReduceOp op) override { reduce(d, MPI_DOUBLE, op); }
  void all_reduce(std::span<int64_t> d, ReduceOp op) override { reduce(d, MPI_INT64_T, op); }

  std::unique_ptr<PendingCollective> all_reduce_async(std::span<float> d, ReduceOp op) override {
    if (d.size() > kMaxChunk) return Communicator::all_reduce_async(d, op);
    MPI_Request request = MPI_REQUEST_NULL;
    check_mpi(MPI_Iallreduce(MPI_IN_PLACE, d.data(), static_cast<int>(d.size()), MPI_FLOAT,
                             to_mpi(op), comm_, &request),
              "all_reduce_async");
    return std::make_unique<MpiPendingReduce>(
        request, d, op == ReduceOp::Average ? static_cast<float>(world_) : 1.0f);
  }

  void broadcast(std::span<std::byte> data, int root) override {
    FG_CHECK(root >= 0 && root < world_,
             "[Communicator.broadcast] expected root in [0, {}), got {}", world_, root);
    for (size_t at = 0; at < data.size(); at += kMaxChunk) {
      const size_t n = std::min(kMaxChunk, data.size() - at);
      check_mpi(MPI_Bcast(data.data() + at, static_cast<int>(n), MPI_BYTE, root, comm_),
                "broadcast");
    }
  }

  void all_gather(std::span<const std::byte> mine, std::span<std::byte> all) override {
    FG_CHECK(all.size() == mine.size() * static_cast<size_t>(world_),
             "[Communicator.all_gather] expected an output of {} bytes, got {}",
             mine.size() * static_cast<size_t>(world_), all.size());
    FG_CHECK(mine.size() <= kMaxChunk, "[Communicator.all_gather] {} bytes is too large",
             mine.size());
    check_mpi(MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.data(),
                            static_cast<int>(mine.size()), MPI_BYTE, comm_),
              "all_gather");
  }

  void barrier() override { check_mpi(MPI_Barrier(comm_), "barrier"); }
  void abort(int code) noexcept override { MPI_Abort(comm_, code); }

  using Communicator::all_gather;
  using Communicator::all_reduce;
  using Communicator::all_reduce_async;
  using Communicator::broadcast;

 private:
  template <class T>
  void reduce(std::span<T> d, MPI_Datatype type, ReduceOp op) {
    for (size_t at = 0; at < d.size(); at += kMaxChunk) {
      const size_t n = std::min(kMaxChunk, d.size() - at);
      check_mpi(
          MPI_Allreduce(MPI_IN_PLACE, d.data() + at, static_cast<int>(n), type, to_mpi(op), comm_),
          "all_reduce");
    }
    if (op == ReduceOp::Average) {
      for (T& v : d) v /= static_cast<T>(world_);
    }
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int world_ = 1;
  int local_rank_ = 0;
};

}  // namespace

bool mpi_available() {
  return true;
}

std::unique_ptr<Communicator> make_mpi_communicator() {
  return std::make_unique<MpiCommunicator>();
}

}  // namespace fg::dist

#else

namespace fg::dist {

bool mpi_available() {
  return false;
}

std::unique_ptr<Communicator> make_mpi_communicator() {
  throw Error("[Communicator] this forgather was built without MPI");
}

}  // namespace fg::dist

#endif
