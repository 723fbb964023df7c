#include "tensor/deferred_id_checks.h"

#include <fmt/format.h>

#include "core/check.h"
#include "kernels/backend.h"

namespace fg {
namespace {
thread_local DeferredIdChecks* t_recording = nullptr;
}

DeferredIdChecks::~DeferredIdChecks() {
  if (started_) t_recording = previous_;
}

void DeferredIdChecks::start() {
  FG_CHECK(!started_, "[DeferredIdChecks] start() twice");
  previous_ = t_recording;
  t_recording = this;
  started_ = true;
}

void DeferredIdChecks::stop() {
  if (!started_) return;
  t_recording = previous_;
  started_ = false;
}

DeferredIdChecks* DeferredIdChecks::recording() {
  return t_recording;
}

void DeferredIdChecks::add(const Tensor& result, const Tensor& ids, std::string what, int64_t lo,
                           int64_t hi, int64_t allowed) {
  checks_.push_back({result, ids, std::move(what), lo, hi, allowed});
}

void DeferredIdChecks::verify() const {
  for (const Check& c : checks_) {
    const std::vector<int64_t> r = c.result.to_vector_i64();
    if (r[0] == 0) continue;
    int64_t value = 0;
    backend_for(c.ids.device()).copy_to_host(c.ids.data<int64_t>() + r[1], &value, sizeof value);
    throw Error(fmt::format("[{}] id {} at position {} is outside [{}, {}){}", c.what, value, r[1],
                            c.lo, c.hi,
                            c.allowed == c.lo ? "" : fmt::format(" and is not {}", c.allowed)));
  }
}

}  // namespace fg
