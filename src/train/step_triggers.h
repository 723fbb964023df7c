#pragma once
// When to log, evaluate and save (spec-ml §5.6), and what a log record holds (§5.7).
#include <cstdint>
#include <string>

#include "train/training_arguments.h"

namespace fg::train {

// Fires every `period` global steps once `first_step` is reached. After a resume the counter
// restarts, so the next event comes `period` steps after the resume point, as the original.
class PeriodicTrigger {
 public:
  PeriodicTrigger() = default;  // never fires
  PeriodicTrigger(IntervalStrategy strategy, int64_t steps, int64_t steps_per_epoch,
                  int64_t first_step = 0);

  // Call once per completed global step; true when the event is due at this step.
  bool step(int64_t global_step);
  int64_t period() const { return period_; }

 private:
  int64_t period_ = 0;  // 0: disabled
  int64_t first_step_ = 0;
  int64_t since_last_ = 0;
};

// Aggregates per-step values between two log events (§5.7): the mean loss, the RMS and the max of
// the gradient norms, and the tokens processed.
class LogAccumulator {
 public:
  void add_step(double loss, double grad_norm, int64_t tokens);
  bool empty() const { return steps_ == 0; }
  double mean_loss() const;
  double rms_grad_norm() const;
  double max_grad_norm() const { return max_grad_norm_; }
  int64_t tokens() const { return tokens_; }
  void reset();

 private:
  int64_t steps_ = 0;
  double loss_sum_ = 0;
  double grad_norm_sq_sum_ = 0;
  double max_grad_norm_ = 0;
  int64_t tokens_ = 0;
};

// Non-finite policy: a step whose loss or gradient norm is not finite is skipped and counted;
// `limit` consecutive skips abort the run with a message naming the step.
class NonFiniteGuard {
 public:
  explicit NonFiniteGuard(int64_t limit = 5) : limit_(limit) {}
  // Returns true when the update should be applied; throws fg::Error past the limit.
  bool check(int64_t global_step, double loss, double grad_norm);
  int64_t total_skipped() const { return total_skipped_; }
  int64_t consecutive() const { return consecutive_; }

 private:
  int64_t limit_;
  int64_t consecutive_ = 0;
  int64_t total_skipped_ = 0;
};

}  // namespace fg::train
