#include <gtest/gtest.h>

#include "core/error.h"
#include "dist/communicator.h"

namespace fg::dist {
namespace {

TEST(SingleProcessCommunicator, CollectivesAreIdentities) {
  SingleProcessCommunicator comm;
  EXPECT_EQ(comm.rank(), 0);
  EXPECT_EQ(comm.world_size(), 1);
  EXPECT_TRUE(comm.is_main());
  Tensor t = Tensor::from_vector({1, 2, 3}, {3});
  comm.all_reduce(t, ReduceOp::Average);
  comm.broadcast(t, 0);
  EXPECT_EQ(t.to_vector(), (std::vector<float>{1, 2, 3}));
  Tensor all = comm.all_gather(t);
  EXPECT_EQ(all.shape(), (Shape{1, 3}));
  EXPECT_EQ(all.to_vector(), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(comm.all_gather_strings("abc"), (std::vector<std::string>{"abc"}));
  EXPECT_EQ(comm.all_reduce_scalar(2.5, ReduceOp::Sum), 2.5);
  comm.barrier();
}

TEST(SingleProcessCommunicator, TensorsOfAnyDtypeAndTheAsyncFormAreIdentities) {
  SingleProcessCommunicator comm;
  Tensor t = Tensor::from_vector({4, 5}, {2});
  comm.all_reduce_async(t, ReduceOp::Sum)->wait();
  EXPECT_EQ(t.to_vector(), (std::vector<float>{4, 5}));
  Tensor ids = Tensor::from_vector_i64({7, 8, 9}, {3});
  comm.broadcast(ids, 0);
  const Tensor all = comm.all_gather(ids);
  EXPECT_EQ(all.shape(), (Shape{1, 3}));
  EXPECT_EQ(all.to_vector_i64(), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_FALSE(all.same_storage(ids));
}

TEST(SingleProcessCommunicator, RefusesAnotherRoot) {
  SingleProcessCommunicator comm;
  Tensor t = Tensor::from_vector({1}, {1});
  EXPECT_THROW(comm.broadcast(t, 1), Error);
}

TEST(RankInfo, EnvironmentWithoutLauncherIsRankZeroOfOne) {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("SLURM_NTASKS"))
    GTEST_SKIP() << "running under a launcher";
  RankInfo info = rank_info_from_environment();
  EXPECT_EQ(info.rank, 0);
  EXPECT_EQ(info.world_size, 1);
  EXPECT_EQ(make_communicator()->backend_name(), "single");
}

}  // namespace
}  // namespace fg::dist
