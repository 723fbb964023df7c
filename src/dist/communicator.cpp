#include "dist/communicator.h"

#include <cstdlib>
#include <cstring>

#include "core/check.h"
#include "dist/mpi_communicator.h"
#include "dist/nccl_communicator.h"

namespace fg::dist {
namespace {

float* host_f32(const Tensor& t, const char* op) {
  FG_CHECK(t.defined(), "[Communicator.{}] expected a defined tensor", op);
  FG_CHECK(t.dtype() == DType::F32, "[Communicator.{}] expected an F32 tensor", op);
  FG_CHECK(t.device().kind == Device::Kind::CPU,
           "[Communicator.{}] expected a CPU tensor for the host communicator", op);
  return static_cast<float*>(t.raw_data());
}

// The first of `names` set to a non-negative integer, else -1.
int env_int(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') continue;
    char* end = nullptr;
    long n = std::strtol(v, &end, 10);
    FG_CHECK(*end == '\0' && n >= 0 && n < (1 << 24),
             "[Communicator] expected a non-negative integer in ${}, got '{}'", name, v);
    return static_cast<int>(n);
  }
  return -1;
}

}  // namespace

namespace {

struct CompletedCollective final : PendingCollective {
  void wait() override {}
};

}  // namespace

std::unique_ptr<PendingCollective> Communicator::all_reduce_async(std::span<float> data,
                                                                  ReduceOp op) {
  all_reduce(data, op);
  return std::make_unique<CompletedCollective>();
}

void Communicator::all_reduce(Tensor& t, ReduceOp op) {
  all_reduce(std::span<float>(host_f32(t, "all_reduce"), static_cast<size_t>(t.numel())), op);
}

std::unique_ptr<PendingCollective> Communicator::all_reduce_async(Tensor& t, ReduceOp op) {
  return all_reduce_async(
      std::span<float>(host_f32(t, "all_reduce_async"), static_cast<size_t>(t.numel())), op);
}

void Communicator::broadcast(Tensor& t, int root) {
  auto* p = reinterpret_cast<std::byte*>(host_f32(t, "broadcast"));
  broadcast(std::span<std::byte>(p, static_cast<size_t>(t.numel()) * sizeof(float)), root);
}

Tensor Communicator::all_gather(const Tensor& t) {
  const auto* p = reinterpret_cast<const std::byte*>(host_f32(t, "all_gather"));
  Shape shape = t.shape();
  shape.insert(shape.begin(), world_size());
  Tensor out = Tensor::empty(shape);
  const size_t bytes = static_cast<size_t>(t.numel()) * sizeof(float);
  all_gather(std::span<const std::byte>(p, bytes),
             std::span<std::byte>(reinterpret_cast<std::byte*>(out.raw_data()),
                                  bytes * static_cast<size_t>(world_size())));
  return out;
}

std::vector<std::string> Communicator::all_gather_strings(const std::string& mine) {
  // Sizes first, then every string padded to the longest.
  std::vector<int64_t> sizes(static_cast<size_t>(world_size()), 0);
  sizes[static_cast<size_t>(rank())] = static_cast<int64_t>(mine.size());
  all_reduce(std::span<int64_t>(sizes), ReduceOp::Sum);
  int64_t longest = 0;
  for (int64_t s : sizes) longest = std::max(longest, s);
  std::vector<std::byte> padded(static_cast<size_t>(longest));
  std::memcpy(padded.data(), mine.data(), mine.size());
  std::vector<std::byte> all(padded.size() * static_cast<size_t>(world_size()));
  all_gather(padded, all);
  std::vector<std::string> out;
  for (size_t r = 0; r < sizes.size(); ++r) {
    const char* first = reinterpret_cast<const char*>(all.data()) + r * padded.size();
    out.emplace_back(first, static_cast<size_t>(sizes[r]));
  }
  return out;
}

double Communicator::all_reduce_scalar(double value, ReduceOp op) {
  all_reduce(std::span<double>(&value, 1), op);
  return value;
}

void SingleProcessCommunicator::broadcast(std::span<std::byte>, int root) {
  FG_CHECK(root == 0, "[Communicator.broadcast] expected root 0 of a world of 1, got {}", root);
}

std::unique_ptr<PendingCollective> SingleProcessCommunicator::all_reduce_async(Tensor&, ReduceOp) {
  return std::make_unique<CompletedCollective>();
}

void SingleProcessCommunicator::broadcast(Tensor&, int root) {
  FG_CHECK(root == 0, "[Communicator.broadcast] expected root 0 of a world of 1, got {}", root);
}

Tensor SingleProcessCommunicator::all_gather(const Tensor& t) {
  Shape shape = t.shape();
  shape.insert(shape.begin(), 1);
  Tensor out = Tensor::empty(shape, t.dtype(), t.device());
  out.copy_(t);
  return out;
}

void SingleProcessCommunicator::all_gather(std::span<const std::byte> mine,
                                           std::span<std::byte> all) {
  FG_CHECK(all.size() == mine.size(),
           "[Communicator.all_gather] expected an output of {} bytes, got {}", mine.size(),
           all.size());
  if (!mine.empty()) std::memcpy(all.data(), mine.data(), mine.size());
}

RankInfo rank_info_from_environment() {
  RankInfo info;
  int world = env_int({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"});
  if (world <= 0) return info;
  info.world_size = world;
  info.rank = std::max(0, env_int({"OMPI_COMM_WORLD_RANK", "PMI_RANK", "SLURM_PROCID"}));
  info.local_rank =
      std::max(0, env_int({"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"}));
  info.local_world_size = std::max(
      1, env_int({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"}));
  FG_CHECK(info.rank < info.world_size,
           "[Communicator] the launcher's environment gives rank {} of a world of {}", info.rank,
           info.world_size);
  return info;
}

std::unique_ptr<Communicator> make_communicator(bool force_mpi) {
  const RankInfo info = rank_info_from_environment();
  if (info.world_size == 1 && !force_mpi) return std::make_unique<SingleProcessCommunicator>();
  FG_CHECK(mpi_available(),
           "[Communicator] the launcher started {} ranks but this forgather was built without "
           "MPI (install libopenmpi-dev and rebuild)",
           info.world_size);
  return make_mpi_communicator();
}

bool nccl_requested_by_environment() {
  const char* v = std::getenv("FG_NCCL");
  if (v == nullptr || *v == '\0' || std::strcmp(v, "0") == 0) return false;
  FG_CHECK(std::strcmp(v, "1") == 0, "[Communicator] expected $FG_NCCL to be 0 or 1, got '{}'", v);
  return true;
}

std::unique_ptr<Communicator> make_device_communicator(Communicator& host, Device device) {
  if (device.is_host()) return nullptr;
  if (host.world_size() == 1 && !nccl_requested_by_environment()) return nullptr;
  FG_CHECK(nccl_available(),
           "[Communicator] {} rank(s) on {}: exchanging CUDA tensors needs NCCL, and this "
           "forgather was built without it (the cuda preset with FG_WITH_NCCL=ON)",
           host.world_size(), device.to_string());
  return make_nccl_communicator(host, device);
}

}  // namespace fg::dist
