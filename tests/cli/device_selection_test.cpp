#include "cli/device_selection.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "support/error_of.h"

namespace fg::cli {
namespace {

using test_support::error_of;

TEST(DeviceFlag, ParsesTheOriginalsSyntaxAndCudaPrefix) {
  EXPECT_EQ(parse_device_flag("cpu", "--devices"), std::vector<Device>{Device::cpu()});
  EXPECT_EQ(parse_device_flag("0", "--devices"), std::vector<Device>{Device::cuda(0)});
  EXPECT_EQ(parse_device_flag("0,1", "--devices"),
            (std::vector<Device>{Device::cuda(0), Device::cuda(1)}));
  EXPECT_EQ(parse_device_flag("cuda:3", "--devices"), std::vector<Device>{Device::cuda(3)});
}

TEST(DeviceFlag, RefusesMalformedTextNamingTheFlag) {
  for (const char* bad : {"", "x", "-1", "0,", ",0", "1.5", "cuda:", "cuda:x", "gpu:0", "0,0",
                          "cpu,0", "0,cpu", "99999"}) {
    const std::string msg = error_of([&] { parse_device_flag(bad, "--devices"); });
    EXPECT_NE(msg.find("[--devices]"), std::string::npos) << "'" << bad << "': " << msg;
  }
  EXPECT_NE(error_of([] { parse_device_flag("0,0", "--devices"); }).find("listed twice"),
            std::string::npos);
}

TEST(DeviceAvailability, CpuAlwaysPasses) {
  EXPECT_EQ(error_of([] { check_devices_available({Device::cpu()}, {}, "--devices"); }), "");
}

TEST(DeviceAvailability, RefusalNamesTheReason) {
  const std::vector<Device> gpu0{Device::cuda(0)};
  CudaAvailability none;  // a build without CUDA
  EXPECT_NE(error_of([&] {
              check_devices_available(gpu0, none, "--devices");
            }).find("this build has no CUDA backend"),
            std::string::npos);
  CudaAvailability no_driver{true, 0, "cudaErrorInsufficientDriver: driver too old"};
  const std::string driver = error_of([&] { check_devices_available(gpu0, no_driver, "-d"); });
  EXPECT_NE(driver.find("CUDA driver is unavailable"), std::string::npos) << driver;
  EXPECT_NE(driver.find("driver too old"), std::string::npos) << driver;
  CudaAvailability zero{true, 0, ""};
  EXPECT_NE(error_of([&] { check_devices_available(gpu0, zero, "-d"); }).find("no device"),
            std::string::npos);
  CudaAvailability one{true, 1, ""};
  EXPECT_EQ(error_of([&] { check_devices_available(gpu0, one, "-d"); }), "");
  const std::string missing = error_of([&] {
    check_devices_available({Device::cuda(0), Device::cuda(2)}, one, "-d");
  });
  EXPECT_NE(missing.find("no CUDA device 2 (1 device(s) present"), std::string::npos) << missing;
}

// On this build and machine: without a usable GPU, -d 0 is refused with one of the reasons.
TEST(DeviceAvailability, ThisMachineRefusesAMissingGpuClearly) {
  const CudaAvailability here = cuda_availability();
  if (here.built && here.error.empty() && here.device_count > 0)
    GTEST_SKIP() << "this machine has " << here.device_count << " CUDA device(s)";
  const std::string msg = error_of([] { use_run_device("0", "train"); });
  const bool named = msg.find("no CUDA backend") != std::string::npos ||
                     msg.find("CUDA driver is unavailable") != std::string::npos ||
                     msg.find("reports no device") != std::string::npos;
  EXPECT_TRUE(named) << msg;
  EXPECT_EQ(error_of([] { use_run_device("cpu", "train"); }), "");
  EXPECT_TRUE(use_run_device("", "train").is_host());
}

}  // namespace
}  // namespace fg::cli
