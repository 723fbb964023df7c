// The thread-local switch that NoGradGuard flips (the only per-thread state of autograd).
#include "tensor/tensor.h"

namespace fg {

namespace {
thread_local bool t_grad_enabled = true;
}

NoGradGuard::NoGradGuard() : prev_(t_grad_enabled) {
  t_grad_enabled = false;
}
NoGradGuard::~NoGradGuard() {
  t_grad_enabled = prev_;
}
bool grad_enabled() {
  return t_grad_enabled;
}

}  // namespace fg
