#pragma once
// A hook that backward() calls once a leaf's gradient is final: every node that feeds the leaf
// has run. Data parallelism starts a gradient bucket's all-reduce from it while backward goes
// on. Scoped per thread, like NoGradGuard.
#include <functional>
#include <memory>

#include "tensor/tensor.h"

namespace fg::autograd {

using GradReadyFn = std::function<void(const std::shared_ptr<TensorImpl>& leaf)>;

class GradReadyHook {
 public:
  explicit GradReadyHook(GradReadyFn fn);
  ~GradReadyHook();
  GradReadyHook(const GradReadyHook&) = delete;
  GradReadyHook& operator=(const GradReadyHook&) = delete;

  // The innermost hook of this thread, or null.
  static const GradReadyFn* current();

 private:
  GradReadyFn fn_;
  const GradReadyFn* previous_;
};

}  // namespace fg::autograd
