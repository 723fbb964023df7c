// The data-parallel helpers that need no second process: loss-token counting, padding to the
// global sequence length, loader positions across world sizes, a world of one, and the gradient
// buckets over a stand-in for two ranks.
#include "train/data_parallel.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "dist/nccl_communicator.h"
#include "tensor/tensor.h"

namespace fg::train {
namespace {

data::Batch two_rows() {
  data::Batch b;
  b.batch = 2;
  b.seq = 3;
  b.input_ids = {5, 6, 7, 8, 9, 1};
  b.labels = {5, 6, 7, 8, 9, -100};
  b.attention_mask = {1, 1, 1, 1, 1, 0};
  return b;
}

TEST(DataParallel, CountsShiftedLabelsWithoutIgnoreIndex) {
  // Row 0 predicts 6 and 7; row 1 predicts 9 (its last label is padding).
  EXPECT_EQ(count_loss_tokens(two_rows(), -100), 3);
}

TEST(DataParallel, PadsToTheGlobalSequenceLength) {
  data::Batch b = two_rows();
  pad_batch(b, 5, 1, -100);
  EXPECT_EQ(b.seq, 5);
  EXPECT_EQ(b.input_ids, (std::vector<int64_t>{5, 6, 7, 1, 1, 8, 9, 1, 1, 1}));
  EXPECT_EQ(b.labels, (std::vector<int64_t>{5, 6, 7, -100, -100, 8, 9, -100, -100, -100}));
  EXPECT_EQ(b.attention_mask, (std::vector<int64_t>{1, 1, 1, 0, 0, 1, 1, 0, 0, 0}));
  EXPECT_EQ(count_loss_tokens(b, -100), 3);
  EXPECT_THROW(pad_batch(b, 4, 1, -100), Error);
}

TEST(DataParallel, LoaderPositionCarriesAcrossWorldSizesAtTheSameGlobalBatch) {
  data::LoaderPosition saved;
  saved.epoch = 1;
  saved.index = 7;
  saved.batch_size = 4;
  saved.world_size = 2;
  saved.rank = 0;
  data::LoaderPosition mine = saved;
  mine.batch_size = 8;
  mine.world_size = 1;
  const data::LoaderPosition p = rebase_position(saved, mine);
  EXPECT_EQ(p.index, 7);
  EXPECT_EQ(p.epoch, 1);
  EXPECT_EQ(p.batch_size, 8);
  EXPECT_EQ(p.world_size, 1);
  mine.batch_size = 4;  // global batch 4 against 8
  EXPECT_THROW(rebase_position(saved, mine), Error);
}

TEST(DataParallel, AWorldOfOneIsLocal) {
  dist::SingleProcessCommunicator comm;
  DataParallel dp(comm);
  data::Batch b = two_rows();
  const GlobalBatch g = dp.agree_batch(b, data::CollatorOptions{});
  EXPECT_TRUE(g.rows.is_local());
  EXPECT_EQ(g.global_tokens, 3);
  EXPECT_EQ(g.loss_weight(), 1.0);
  EXPECT_EQ(dp.agree_seed(17), 17u);
  EXPECT_TRUE(dp.any(true));
  EXPECT_NO_THROW(dp.check_same_run("abc"));
}

// Two ranks that hold the same values, seen from rank 0: every sum doubles.
class MirroredPair final : public dist::Communicator {
 public:
  int rank() const override { return 0; }
  int world_size() const override { return 2; }
  int local_rank() const override { return 0; }
  std::string backend_name() const override { return "mirrored"; }
  void all_reduce(std::span<float> d, dist::ReduceOp) override {
    for (float& v : d) v *= 2;
    ++float_reduces;
  }
  void all_reduce(std::span<double> d, dist::ReduceOp) override {
    for (double& v : d) v *= 2;
  }
  void all_reduce(std::span<int64_t> d, dist::ReduceOp) override {
    for (int64_t& v : d) v *= 2;
  }
  void broadcast(std::span<std::byte>, int) override {}
  void all_gather(std::span<const std::byte> mine, std::span<std::byte> all) override {
    std::copy(mine.begin(), mine.end(), all.begin());
    std::copy(mine.begin(), mine.end(), all.begin() + static_cast<std::ptrdiff_t>(mine.size()));
  }
  void barrier() override {}
  void abort(int) noexcept override {}
  using dist::Communicator::all_gather;
  using dist::Communicator::all_reduce;
  using dist::Communicator::broadcast;

  int float_reduces = 0;
};

Tensor parameter(const Shape& shape, const std::vector<float>& grad) {
  Tensor p = Tensor::zeros(shape);
  p.set_requires_grad(true);
  if (!grad.empty()) p.set_grad(Tensor::from_vector(grad, shape));
  return p;
}

TEST(DataParallel, SumsGradientsThroughOneFlatBucket) {
  MirroredPair comm;
  DataParallel dp(comm);
  EXPECT_TRUE(dp.reduces_gradients(Device::cpu()));
  EXPECT_EQ(dp.backend_for_tensors(Device::cpu()), "mirrored");
  Tensor a = parameter({2, 2}, {0.5f, -1, 2, 3});
  Tensor b = parameter({3}, {});  // backward did not reach it: its slot is zeros
  Tensor c = parameter({1}, {4});
  const std::vector<optim::NamedParameter> params = {{"a", a}, {"b", b}, {"c", c}};
  const Tensor a_before = a.grad();
  dp.sum_gradients(params);
  EXPECT_EQ(a.grad().to_vector(), (std::vector<float>{1, -2, 4, 6}));
  EXPECT_EQ(a.grad().shape(), (Shape{2, 2}));
  EXPECT_EQ(b.grad().to_vector(), std::vector<float>(3, 0.0f));
  EXPECT_EQ(c.grad().to_vector(), std::vector<float>{8});
  EXPECT_FALSE(a.grad().same_storage(a_before));  // a fresh gradient, not the bucket
  EXPECT_FALSE(a.grad().same_storage(c.grad()));
  EXPECT_EQ(comm.float_reduces, 1);  // small parameters share one bucket
}

TEST(DataParallel, TheHookStartsTheBucketOnceEveryGradientIsFinal) {
  MirroredPair comm;
  DataParallel dp(comm);
  Tensor a = parameter({2}, {1, 2});
  Tensor c = parameter({1}, {3});
  const std::vector<optim::NamedParameter> params = {{"a", a}, {"c", c}};
  for (int step = 1; step <= 2; ++step) {  // the bucket is reused at the second step
    a.set_grad(Tensor::from_vector({1, 2}, {2}));
    c.set_grad(Tensor::from_vector({3}, {1}));
    const autograd::GradReadyFn hook = dp.grad_ready_hook(params);
    hook(c.impl());
    EXPECT_EQ(comm.float_reduces, step - 1) << "a is not final yet";
    hook(a.impl());
    EXPECT_EQ(comm.float_reduces, step);
    dp.sum_gradients(params);  // waits; starts nothing again
    EXPECT_EQ(comm.float_reduces, step);
    EXPECT_EQ(a.grad().to_vector(), (std::vector<float>{2, 4}));
    EXPECT_EQ(c.grad().to_vector(), std::vector<float>{6});
  }
}

// Several ranks on a GPU need the NCCL communicator: refused by name without NCCL, and (with it)
// without the CUDA backend registered on this machine.
TEST(DataParallel, SeveralRanksOnAGpuWithoutNcclOrBackendAreRefused) {
  MirroredPair comm;
  DataParallel dp(comm);
  try {
    dp.backend_for_tensors(Device::cuda(0));
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    const std::string want = dist::nccl_available() ? "cuda" : "built without it";
    EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
  }
}

TEST(DataParallel, AWorldOfOneLeavesGradientsAlone) {
  dist::SingleProcessCommunicator comm;
  DataParallel dp(comm);
  EXPECT_FALSE(dp.reduces_gradients(Device::cpu()));
  Tensor a = parameter({2}, {1, 2});
  const Tensor before = a.grad();
  dp.sum_gradients({{"a", a}});
  EXPECT_TRUE(a.grad().same_storage(before));
}

}  // namespace
}  // namespace fg::train
