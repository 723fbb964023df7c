#pragma once
// Ctrl-C handling for training: while an InterruptGuard lives, SIGINT and SIGTERM only raise a
// flag; the trainer finishes the current step, saves a checkpoint and exits non-zero. A second
// signal restores the default action, so a stuck process can still be killed.
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
};

}  // namespace fg::train
