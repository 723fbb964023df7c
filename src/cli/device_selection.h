#pragma once
// The -d/--devices flag of train, generate and eval: the original's syntax ("0", "0,1", "cpu"),
// plus "cuda:N". Parsing is pure; resolving asks this build and machine whether the CUDA devices
// exist and refuses with the reason when they do not (no CUDA build, no driver, no device N).
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tensor/device.h"

namespace fg::cli {

// "cpu" alone, or a comma-separated list of CUDA device indices ("0", "cuda:1"), no repeats.
// Throws fg::Error naming `flag` and the bad part.
std::vector<Device> parse_device_flag(const std::string& text, const std::string& flag);

// What CUDA this process can use.
struct CudaAvailability {
  bool built = false;    // this binary has the CUDA backend (FG_WITH_CUDA)
  int device_count = 0;  // devices the driver reports
  std::string error;     // the driver's error text when it could not be asked
};
CudaAvailability cuda_availability();  // this build on this machine; never throws

// Checks every requested CUDA device against `cuda`; throws fg::Error saying why one cannot be
// used: "this build has no CUDA backend", "the CUDA driver is unavailable (...)", "no CUDA
// device N (k present)". CPU requests always pass.
void check_devices_available(const std::vector<Device>& devices, const CudaAvailability& cuda,
                             const std::string& flag);

// Adds -d/--devices to a subcommand: the text is parsed (and a malformed one refused) while the
// command line is parsed; `dest` keeps it for run_on_devices().
CLI::Option* add_devices_option(CLI::App& sub, std::string& dest);

// The device a command given -d computes on: the host for "" and "cpu"; for one CUDA device,
// checked on this build and machine (check_devices_available's refusals), the CUDA backend is
// registered in the current fg::Runtime (once) and the device returned. Several devices are
// refused: one process computes on one device.
Device use_run_device(const std::string& text, const std::string& command);

}  // namespace fg::cli
