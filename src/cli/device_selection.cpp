#include "cli/device_selection.h"

#include <fmt/format.h>

#include <sstream>

#include "core/error.h"
#include "core/parse_number.h"
#include "tensor/runtime.h"
#ifdef FG_WITH_CUDA
#include "kernels/cuda/cuda_register.h"
#endif

namespace fg::cli {

namespace {
constexpr int64_t kMaxDevice = 1023;
}

std::vector<Device> parse_device_flag(const std::string& text, const std::string& flag) {
  if (text == "cpu") return {Device::cpu()};
  std::vector<Device> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (part == "cpu")
      throw Error(
          fmt::format("[{}] 'cpu' cannot be combined with GPU devices in '{}'", flag, text));
    const std::string index = part.rfind("cuda:", 0) == 0 ? part.substr(5) : part;
    const Device d = Device::cuda(static_cast<int>(parse_int(index, flag, 0, kMaxDevice)));
    for (const Device& seen : out)
      if (seen == d)
        throw Error(fmt::format("[{}] device {} is listed twice in '{}'", flag, d.index, text));
    out.push_back(d);
  }
  // "" and a trailing comma name no device: report them as parse_int words a missing number.
  if (out.empty() || text.back() == ',') parse_int("", flag, 0, kMaxDevice);
  return out;
}

CudaAvailability cuda_availability() {
  CudaAvailability a;
#ifdef FG_WITH_CUDA
  a.built = true;
  const kernels::cuda::CudaProbe p = kernels::cuda::probe_cuda();
  a.device_count = p.device_count;
  a.error = p.error;
#endif
  return a;
}

void check_devices_available(const std::vector<Device>& devices, const CudaAvailability& cuda,
                             const std::string& flag) {
  for (const Device& d : devices) {
    if (d.is_host()) continue;
    const std::string what = fmt::format("[{}] cannot use {}: ", flag, d.to_string());
    if (!cuda.built)
      throw Error(what +
                  "this build has no CUDA backend (configure with -DFG_WITH_CUDA=ON, the cuda "
                  "preset); use -d cpu");
    if (!cuda.error.empty())
      throw Error(what + "the CUDA driver is unavailable (" + cuda.error +
                  "); is there an NVIDIA driver and GPU on this machine? use -d cpu");
    if (cuda.device_count == 0) throw Error(what + "the CUDA driver reports no device; use -d cpu");
    if (d.index >= cuda.device_count)
      throw Error(what + fmt::format("no CUDA device {} ({} device(s) present: 0..{})", d.index,
                                     cuda.device_count, cuda.device_count - 1));
  }
}

CLI::Option* add_devices_option(CLI::App& sub, std::string& dest) {
  return sub.add_option_function<std::string>(
      "-d,--devices",
      [&dest](const std::string& text) {
        parse_device_flag(text, "--devices");  // refused while parsing, before any work
        dest = text;
      },
      "Devices: cpu, or GPU indices such as 0, 0,1, cuda:0");
}

Device use_run_device(const std::string& text, const std::string& command) {
  if (text.empty()) return Device::cpu();
  const std::vector<Device> devices = parse_device_flag(text, "--devices");
  check_devices_available(devices, cuda_availability(), "--devices");
  const Device d = devices.front();
  if (d.is_host()) return d;
  if (devices.size() > 1)
    throw Error(fmt::format(
        "[{}] -d {}: one process computes on one device; several GPUs take one process each "
        "(docs/distributed.md), or name one device such as -d {}",
        command, text, d.index));
#ifdef FG_WITH_CUDA
  Runtime& runtime = Runtime::current();
  if (!runtime.has_backend(Device::Kind::CUDA)) {
    const kernels::cuda::CudaProbe probe = kernels::cuda::probe_cuda();
    kernels::cuda::register_cuda_backend(runtime, d.index, probe.device_count);
  }
#endif
  // check_devices_available refused every CUDA device in a build without the backend.
  return d;
}

}  // namespace fg::cli
