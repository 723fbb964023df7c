#include "tensor/runtime.h"

#include <atomic>

#include "core/check.h"
#include "kernels/cpu/cpu_backend.h"

namespace fg {
namespace {

// The runtime backend_for() consults. Set by a Runtime's constructor and restored by its
// destructor; runtimes nest (a test may make one inside a program that has one).
std::atomic<Runtime*> g_current{nullptr};

}  // namespace

Runtime::Runtime() {
  register_backend(Device::Kind::CPU, std::make_unique<kernels::cpu::CpuBackend>(), 1);
  previous_ = g_current.exchange(this);
}

Runtime::~Runtime() {
  g_current.store(previous_);
}

void Runtime::register_backend(Device::Kind kind, std::unique_ptr<kernels::Backend> backend,
                               int device_count) {
  FG_CHECK(backend != nullptr, "[runtime] register_backend({}) got no backend",
           device_kind_name(kind));
  FG_CHECK(device_count > 0, "[runtime] a {} backend needs at least one device, got {}",
           device_kind_name(kind), device_count);
  FG_CHECK(!has_backend(kind), "[runtime] a {} backend is already registered",
           device_kind_name(kind));
  slots_[kind] = Slot{std::move(backend), device_count};
}

int Runtime::device_count(Device::Kind kind) const {
  auto it = slots_.find(kind);
  return it == slots_.end() ? 0 : it->second.device_count;
}

kernels::Backend& Runtime::backend(Device d) const {
  auto it = slots_.find(d.kind);
  FG_CHECK(it != slots_.end(),
           "[runtime] no {} backend in this build (or none registered): device {} is not "
           "available",
           device_kind_name(d.kind), d.to_string());
  FG_CHECK(d.index >= 0 && d.index < it->second.device_count,
           "[runtime] device {} not present ({} {} device(s))", d.to_string(),
           it->second.device_count, device_kind_name(d.kind));
  return *it->second.backend;
}

Runtime& Runtime::current() {
  if (Runtime* rt = g_current.load()) return *rt;
  // Programs that make no Runtime get a CPU-only one, made once and kept to the end.
  static Runtime fallback;
  return fallback;
}

}  // namespace fg
