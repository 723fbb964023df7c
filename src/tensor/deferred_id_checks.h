#pragma once
// The id checks of embedding and cross_entropy read their result back to the host, which a graph
// recording (Backend::begin_capture) cannot do. While a DeferredIdChecks is recording, those ops
// record the check instead: the check kernel joins the recording, its result tensor stays here,
// and the owner calls verify() after each launch of the recording, before using its results.
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace fg {

class DeferredIdChecks {
 public:
  DeferredIdChecks() = default;
  ~DeferredIdChecks();
  DeferredIdChecks(const DeferredIdChecks&) = delete;
  DeferredIdChecks& operator=(const DeferredIdChecks&) = delete;

  // Between start() and stop() (same thread) the ops add their checks here.
  void start();
  void stop();
  static DeferredIdChecks* recording();  // the one started on this thread, if any

  // `result` is the check kernel's [2] i64 output (bad count, first bad position) over `ids`.
  void add(const Tensor& result, const Tensor& ids, std::string what, int64_t lo, int64_t hi,
           int64_t allowed);
  // Throws fg::Error naming the op, the bad id and its position when a check found one.
  void verify() const;
  size_t size() const { return checks_.size(); }

 private:
  struct Check {
    Tensor result, ids;
    std::string what;
    int64_t lo = 0, hi = 0, allowed = 0;
  };
  std::vector<Check> checks_;
  DeferredIdChecks* previous_ = nullptr;
  bool started_ = false;
};

}  // namespace fg
