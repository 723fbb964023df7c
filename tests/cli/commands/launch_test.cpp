// `train --nproc N` and `train -d 0,1`: how many ranks launch, which GPU each rank takes, and the
// command the ranks run (tests/builders/cli_train_test.cpp runs `train -d 0,1` itself).
#include "cli/commands/launch.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "support/error_of.h"

namespace fg::cli {
namespace {

using test_support::error_of;

const std::vector<Device> kTwoGpus = {Device::cuda(0), Device::cuda(1)};

TEST(LaunchRanks, OneRankPerListedGpu) {
  EXPECT_EQ(launch_ranks(1, kTwoGpus, "0,1"), 2);
  EXPECT_EQ(launch_ranks(2, kTwoGpus, "0,1"), 2);  // --nproc agreeing is accepted
  EXPECT_EQ(launch_ranks(1, {Device::cuda(0), Device::cuda(3), Device::cuda(5)}, "0,3,5"), 3);
}

TEST(LaunchRanks, NprocAloneOrWithCpuOrOneGpu) {
  EXPECT_EQ(launch_ranks(3, {}, ""), 3);
  EXPECT_EQ(launch_ranks(3, {Device::cpu()}, "cpu"), 3);
  EXPECT_EQ(launch_ranks(1, {Device::cuda(0)}, "0"), 1);
}

TEST(LaunchRanks, RefusesNprocThatDisagreesOrSharesOneGpu) {
  const std::string disagree = error_of([] { launch_ranks(3, kTwoGpus, "0,1"); });
  EXPECT_NE(disagree.find("--nproc 3 and -d 0,1 disagree"), std::string::npos) << disagree;
  const std::string shared = error_of([] { launch_ranks(2, {Device::cuda(0)}, "0"); });
  EXPECT_NE(shared.find("every rank needs a GPU of its own"), std::string::npos) << shared;
}

TEST(RankDevice, TheListsEntryAtTheLocalRank) {
  EXPECT_EQ(rank_device(kTwoGpus, 0, "0,1"), Device::cuda(0));
  EXPECT_EQ(rank_device(kTwoGpus, 1, "0,1"), Device::cuda(1));
  EXPECT_EQ(rank_device({Device::cuda(2), Device::cuda(7)}, 1, "2,7"), Device::cuda(7));
  EXPECT_EQ(rank_device({Device::cpu()}, 5, "cpu"), Device::cpu());
  const std::string more = error_of([] { rank_device(kTwoGpus, 2, "0,1"); });
  EXPECT_NE(more.find("-d 0,1 lists 2 GPU(s), but this rank is local rank 2"), std::string::npos)
      << more;
}

TEST(RankDevice, DryRunPlanNamesEveryRanksGpu) {
  EXPECT_EQ(rank_device_plan(kTwoGpus), "rank 0 -> cuda:0, rank 1 -> cuda:1");
}

TEST(MpirunCommand, KeepsTheDeviceListForTheRanksAndDropsNproc) {
  const std::vector<std::string> cmd =
      mpirun_command(2, strip_nproc({"-t", "x.yaml", "train", "-d", "0,1", "--nproc", "2"}));
  const std::string line = join_command(cmd);
  EXPECT_NE(line.find(" -np 2 "), std::string::npos) << line;
  EXPECT_NE(line.find("train -d 0,1"), std::string::npos) << line;
  EXPECT_EQ(line.find("--nproc"), std::string::npos) << line;
}

}  // namespace
}  // namespace fg::cli
