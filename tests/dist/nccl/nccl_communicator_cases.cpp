// The NCCL communicator on this machine's GPU (ctest dist.nccl_communicator, label cuda): run
// under `mpirun -np 1`, a world of one bootstrapped over MPI; under `mpirun -np N` on N GPUs each
// rank takes the GPU at its local rank and the expected values follow the world size. Every case
// skips, naming the driver's reason, where there is no GPU. Named *_cases.cpp so that test_dist
// (built without CUDA) does not pick it up.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <memory>
#include <vector>

#include "dist/communicator.h"
#include "dist/nccl_communicator.h"
#include "kernels/cuda/cuda_register.h"
#include "support/cuda_runtime.h"
#include "tensor/runtime.h"
#include "train/data_parallel.h"

namespace fg::dist {
namespace {

// Made by the first case that runs on a GPU and kept to the end of the process: MPI starts once.
struct Gpu {
  std::unique_ptr<Communicator> host;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<Communicator> nccl;
  Device device;
};
Gpu* g_gpu = nullptr;

class NcclCommunicatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = test_support::cuda_unavailable_reason();
    if (!why.empty()) GTEST_SKIP() << why;
    if (g_gpu == nullptr) {
      auto gpu = std::make_unique<Gpu>();
      gpu->host = make_communicator(/*force_mpi=*/mpi_available());
      const int count = kernels::cuda::probe_cuda().device_count;
      if (gpu->host->local_rank() >= count)
        GTEST_SKIP() << "local rank " << gpu->host->local_rank() << " has no GPU of its own ("
                     << count << " present)";
      gpu->device = Device::cuda(gpu->host->local_rank());
      gpu->runtime = std::make_unique<Runtime>();
      kernels::cuda::register_cuda_backend(*gpu->runtime, gpu->device.index, count);
      gpu->nccl = make_nccl_communicator(*gpu->host, gpu->device);
      g_gpu = gpu.release();
    }
    comm_ = g_gpu->nccl.get();
    device_ = g_gpu->device;
    w_ = static_cast<float>(comm_->world_size());
    r_ = static_cast<float>(comm_->rank());
  }
  Tensor on_gpu(const std::vector<float>& v) const {
    return Tensor::from_vector(v, {static_cast<int64_t>(v.size())}, device_);
  }

  Communicator* comm_ = nullptr;
  Device device_;
  float w_ = 1, r_ = 0;
};

TEST_F(NcclCommunicatorTest, AllReduceSumAverageAndMaxOnDeviceMemory) {
  EXPECT_EQ(comm_->backend_name(), "nccl");
  const float s = w_ * (w_ + 1) / 2;  // sum over ranks of rank + 1
  Tensor t = on_gpu({r_ + 1, 2 * (r_ + 1)});
  comm_->all_reduce(t, ReduceOp::Sum);
  EXPECT_EQ(t.device(), device_);
  EXPECT_EQ(t.to_vector(), (std::vector<float>{s, 2 * s}));
  Tensor a = on_gpu({2 * (r_ + 1)});
  comm_->all_reduce(a, ReduceOp::Average);
  EXPECT_FLOAT_EQ(a.item(), 2 * s / w_);
  Tensor m = on_gpu({r_});
  comm_->all_reduce(m, ReduceOp::Max);
  EXPECT_EQ(m.item(), w_ - 1);
}

TEST_F(NcclCommunicatorTest, BroadcastCarriesAnyDtypesBytes) {
  const int root = comm_->world_size() - 1;
  Tensor f = on_gpu({r_ == root ? 7.5f : -1.0f, 3});
  comm_->broadcast(f, root);
  EXPECT_EQ(f.to_vector(), (std::vector<float>{r_ == root ? 7.5f : -1.0f, 3}));
  Tensor ids = Tensor::from_vector_i64({comm_->rank() == root ? 1234567890123 : 0}, {1}, device_);
  comm_->broadcast(ids, root);
  EXPECT_EQ(ids.to_vector_i64(), std::vector<int64_t>{1234567890123});
}

TEST_F(NcclCommunicatorTest, AllGatherStacksRanksInOrder) {
  const Tensor g = comm_->all_gather(on_gpu({r_ * 10, r_ * 10 + 1}));
  EXPECT_EQ(g.shape(), (Shape{comm_->world_size(), 2}));
  EXPECT_EQ(g.device(), device_);
  const std::vector<float> v = g.to_vector();
  for (int i = 0; i < comm_->world_size(); ++i) {
    EXPECT_EQ(v[2 * i], i * 10.0f);
    EXPECT_EQ(v[2 * i + 1], i * 10.0f + 1);
  }
}

// The side stream must wait for the compute stream's fill before it reduces, and the compute
// stream's read must wait for the reduce.
TEST_F(NcclCommunicatorTest, AsyncAllReduceIsOrderedWithTheComputeStream) {
  Tensor big = Tensor::empty({1 << 22}, DType::F32, device_);
  big.fill_(r_ + 1);
  auto pending = comm_->all_reduce_async(big, ReduceOp::Sum);
  pending->wait();
  const std::vector<float> v = big.to_vector();
  const float s = w_ * (w_ + 1) / 2;
  EXPECT_EQ(v.front(), s);
  EXPECT_EQ(v.back(), s);
  EXPECT_EQ(v[v.size() / 2], s);
}

TEST_F(NcclCommunicatorTest, HostMemoryGoesToTheHostCommunicator) {
  std::vector<double> d = {r_ + 1.0};
  comm_->all_reduce(std::span<double>(d), ReduceOp::Sum);
  EXPECT_EQ(d[0], w_ * (w_ + 1) / 2);
  Tensor cpu = Tensor::from_vector({1.0f}, {1});
  comm_->all_reduce(cpu, ReduceOp::Sum);
  EXPECT_EQ(cpu.item(), w_);
  EXPECT_EQ(comm_->all_gather_strings("x" + std::to_string(comm_->rank())).size(),
            static_cast<size_t>(comm_->world_size()));
  EXPECT_NO_THROW(comm_->barrier());
}

// The gradient buckets through NCCL: in a world of one the gradients come back bit for bit (the
// single-process run leaves them as they are); in a world of N every rank holds N times its own
// (each rank here sets the same values).
TEST_F(NcclCommunicatorTest, GradientBucketsThroughNcclEqualTheSingleProcessRun) {
  setenv("FG_NCCL", "1", 1);
  train::DataParallel dp(*g_gpu->host);
  ASSERT_TRUE(dp.reduces_gradients(device_));
  EXPECT_EQ(dp.backend_for_tensors(device_), "nccl");
  auto param = [this](std::vector<float> grad) {
    Tensor p = Tensor::zeros({static_cast<int64_t>(grad.size())}, DType::F32, device_);
    p.set_requires_grad(true);
    if (!grad.empty()) p.set_grad(on_gpu(grad));
    return p;
  };
  const std::vector<float> ga = {0.1f, -2.5f, 3.0e-7f, 1.0e6f}, gc = {0.3f};
  Tensor a = param(ga), c = param(gc);
  Tensor b = Tensor::zeros({3}, DType::F32, device_);  // a parameter backward did not reach
  b.set_requires_grad(true);
  std::vector<optim::NamedParameter> params = {{"a", a}, {"b", b}, {"c", c}};
  for (int step = 0; step < 2; ++step) {  // the second step reuses the buckets, through the hook
    if (step == 1) {
      a.set_grad(on_gpu(ga));
      c.set_grad(on_gpu(gc));
      const autograd::GradReadyFn hook = dp.grad_ready_hook(params);
      for (auto it = params.rbegin(); it != params.rend(); ++it) hook(it->second.impl());
    }
    dp.sum_gradients(params);
    std::vector<float> want_a = ga, want_c = gc;
    for (float& v : want_a) v *= w_;
    for (float& v : want_c) v *= w_;
    EXPECT_EQ(a.grad().to_vector(), want_a) << "step " << step;
    EXPECT_EQ(b.grad().to_vector(), std::vector<float>(3, 0.0f)) << "step " << step;
    EXPECT_EQ(c.grad().to_vector(), want_c) << "step " << step;
    EXPECT_EQ(a.grad().device(), device_);
  }
  unsetenv("FG_NCCL");
  if (comm_->world_size() == 1) {
    train::DataParallel plain(*g_gpu->host);
    EXPECT_FALSE(plain.reduces_gradients(device_));
  }
}

}  // namespace
}  // namespace fg::dist
