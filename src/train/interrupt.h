#pragma once
// Ctrl-C handling for training: while an InterruptGuard lives, SIGINT and SIGTERM only raise a
// flag; the trainer finishes the current step, saves a checkpoint and exits non-zero. A second
// signal ends the process (the default action), so a stuck process can still be stopped.
//
// In the forgather executable the signals arrive on the signal thread (core/signal_thread.h),
// never inside a compute kernel. A host without that thread (the Python module, a test) gets a
// signal handler instead, as before.
#include <atomic>
#include <memory>

namespace fg {
class SignalSubscription;
}

namespace fg::train {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The signal number received (SIGINT/SIGTERM), or 0.
  int received() const;
  bool requested() const { return received() != 0; }

 private:
  std::atomic<int> signal_{0};                        // with the signal thread
  std::unique_ptr<SignalSubscription> subscription_;  // null: the handler fallback
};

}  // namespace fg::train
