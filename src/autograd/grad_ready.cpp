#include "autograd/grad_ready.h"

namespace fg::autograd {
namespace {

thread_local const GradReadyFn* t_hook = nullptr;

}  // namespace

GradReadyHook::GradReadyHook(GradReadyFn fn) : fn_(std::move(fn)), previous_(t_hook) {
  t_hook = &fn_;
}

GradReadyHook::~GradReadyHook() {
  t_hook = previous_;
}

const GradReadyFn* GradReadyHook::current() {
  return t_hook;
}

}  // namespace fg::autograd
