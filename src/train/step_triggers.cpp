#include "train/step_triggers.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"

namespace fg::train {

PeriodicTrigger::PeriodicTrigger(IntervalStrategy strategy, int64_t steps, int64_t steps_per_epoch,
                                 int64_t first_step)
    : first_step_(first_step) {
  switch (strategy) {
    case IntervalStrategy::No:
      period_ = 0;
      break;
    case IntervalStrategy::Steps:
      period_ = std::max<int64_t>(steps, 0);
      break;
    case IntervalStrategy::Epoch:
      period_ = std::max<int64_t>(steps_per_epoch, 1);
      break;
  }
}

bool PeriodicTrigger::step(int64_t global_step) {
  if (period_ <= 0) return false;
  ++since_last_;
  if (since_last_ >= period_ && global_step >= first_step_) {
    since_last_ = 0;
    return true;
  }
  return false;
}

void LogAccumulator::add_step(double loss, double grad_norm, int64_t tokens) {
  ++steps_;
  loss_sum_ += loss;
  grad_norm_sq_sum_ += grad_norm * grad_norm;
  max_grad_norm_ = std::max(max_grad_norm_, grad_norm);
  tokens_ += tokens;
}

double LogAccumulator::mean_loss() const {
  return steps_ ? loss_sum_ / steps_ : NAN;
}

double LogAccumulator::rms_grad_norm() const {
  return steps_ ? std::sqrt(grad_norm_sq_sum_ / steps_) : NAN;
}

void LogAccumulator::reset() {
  *this = LogAccumulator();
}

bool NonFiniteGuard::check(int64_t global_step, double loss, double grad_norm) {
  if (std::isfinite(loss) && std::isfinite(grad_norm)) {
    consecutive_ = 0;
    return true;
  }
  ++consecutive_;
  ++total_skipped_;
  FG_CHECK(consecutive_ < limit_,
           "[Trainer] step {}: loss {} / gradient norm {} not finite for {} consecutive steps; "
           "aborting (lower the learning rate or set max_grad_norm)",
           global_step, loss, grad_norm, consecutive_);
  return false;
}

}  // namespace fg::train
