// Which communicator takes tensors on a device: the host's own for CPU memory, none for a GPU in a
// world of one, NCCL when $FG_NCCL=1 asks for it; a bad $FG_NCCL is refused by name.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "core/error.h"
#include "dist/communicator.h"
#include "dist/nccl_communicator.h"

namespace fg::dist {
namespace {

class DeviceCommunicator : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("FG_NCCL"); }
  SingleProcessCommunicator host_;
};

TEST_F(DeviceCommunicator, HostMemoryNeedsNone) {
  setenv("FG_NCCL", "1", 1);
  EXPECT_EQ(make_device_communicator(host_, Device::cpu()), nullptr);
}

TEST_F(DeviceCommunicator, AGpuInAWorldOfOneNeedsNoneUnlessAskedFor) {
  unsetenv("FG_NCCL");
  EXPECT_FALSE(nccl_requested_by_environment());
  EXPECT_EQ(make_device_communicator(host_, Device::cuda(0)), nullptr);
  setenv("FG_NCCL", "0", 1);
  EXPECT_EQ(make_device_communicator(host_, Device::cuda(0)), nullptr);
  setenv("FG_NCCL", "", 1);
  EXPECT_FALSE(nccl_requested_by_environment());
}

TEST_F(DeviceCommunicator, AskedForInABuildWithoutNcclIsRefusedWithTheReason) {
  setenv("FG_NCCL", "1", 1);
  EXPECT_TRUE(nccl_requested_by_environment());
  if (nccl_available()) GTEST_SKIP() << "this build has NCCL (test_nccl covers it)";
  try {
    make_device_communicator(host_, Device::cuda(0));
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("built without it"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cuda:0"), std::string::npos) << e.what();
  }
}

TEST_F(DeviceCommunicator, BadEnvironmentValueIsRefusedByName) {
  for (const char* bad : {"yes", "2", "1 ", "true"}) {
    setenv("FG_NCCL", bad, 1);
    try {
      nccl_requested_by_environment();
      FAIL() << "accepted FG_NCCL='" << bad << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("$FG_NCCL"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace fg::dist
