#pragma once
// The runtime: owns one kernels::Backend per device kind. `main` (or a test) makes one; the CPU
// backend registers itself, and another backend (CUDA, or a test backend) is added with
// register_backend(). While a Runtime is alive it is the one backend_for(Device) consults, so ops
// find a backend from a tensor's device alone and never change shape when a backend is added.
//
// Programs that make no Runtime (benchmarks, tools, most test binaries) get a CPU-only default
// one on first use; it lives until the process ends.
#include <map>
#include <memory>

#include "tensor/device.h"

namespace fg {

class Runtime {
 public:
  Runtime();   // registers the CPU backend and becomes the current runtime
  ~Runtime();  // the previous runtime (if any) becomes current again
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Adds the backend for `kind`, serving devices kind:0 .. kind:(device_count - 1). Replacing a
  // kind that already has one is an error (tensors may hold its memory).
  void register_backend(Device::Kind kind, std::unique_ptr<kernels::Backend> backend,
                        int device_count);
  bool has_backend(Device::Kind kind) const { return slots_.count(kind) != 0; }
  int device_count(Device::Kind kind) const;

  // Throws fg::Error: "[runtime] no cuda backend in this build ..." or "device cuda:3 not present".
  kernels::Backend& backend(Device d) const;

  // The runtime backend_for() uses: the newest live one, else the CPU-only default.
  static Runtime& current();

 private:
  struct Slot {
    std::unique_ptr<kernels::Backend> backend;
    int device_count = 0;
  };
  std::map<Device::Kind, Slot> slots_;
  Runtime* previous_ = nullptr;
};

}  // namespace fg
