#include "optim/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <fmt/format.h>

#include "core/check.h"
#include "core/error.h"
#include "core/strings.h"

namespace fg::optim {

ScheduleType parse_schedule_type(std::string_view name) {
  for (ScheduleType t : {ScheduleType::kLinear, ScheduleType::kCosine, ScheduleType::kConstant,
                         ScheduleType::kConstantWithWarmup}) {
    if (schedule_type_name(t) == name) return t;
  }
  std::vector<std::string> known = {"linear", "cosine", "constant", "constant_with_warmup"};
  throw Error(fmt::format("[LRScheduler] unknown lr_scheduler_type '{}'{}; expected one of {}",
                          name, did_you_mean(name, known), join(known, ", ")));
}

std::string_view schedule_type_name(ScheduleType type) {
  switch (type) {
    case ScheduleType::kLinear:
      return "linear";
    case ScheduleType::kCosine:
      return "cosine";
    case ScheduleType::kConstant:
      return "constant";
    case ScheduleType::kConstantWithWarmup:
      return "constant_with_warmup";
  }
  return "?";
}

void ScheduleOptions::validate() const {
  FG_CHECK(warmup_steps >= 0, "[LRScheduler] warmup_steps must be >= 0, got {}", warmup_steps);
  FG_CHECK(warmup_ratio >= 0 && warmup_ratio <= 1,
           "[LRScheduler] warmup_ratio must be in [0, 1], got {}", warmup_ratio);
  FG_CHECK(total_steps >= 0, "[LRScheduler] total_steps must be >= 0, got {}", total_steps);
  bool needs_total = type == ScheduleType::kLinear || type == ScheduleType::kCosine;
  FG_CHECK(!needs_total || total_steps > 0,
           "[LRScheduler] the {} schedule needs total_steps (max_steps) > 0, got {}",
           schedule_type_name(type), total_steps);
}

int64_t ScheduleOptions::resolved_warmup_steps() const {
  if (warmup_steps > 0) return warmup_steps;
  return static_cast<int64_t>(std::ceil(static_cast<double>(total_steps) * warmup_ratio));
}

double schedule_lambda(const ScheduleOptions& o, int64_t s) {
  const double w = static_cast<double>(o.resolved_warmup_steps());
  const double x = static_cast<double>(s);
  const double n = static_cast<double>(o.total_steps);
  if (o.type == ScheduleType::kConstant) return 1.0;
  if (x < w) return x / std::max(1.0, w);
  switch (o.type) {
    case ScheduleType::kConstantWithWarmup:
      return 1.0;
    case ScheduleType::kLinear:
      return std::max(0.0, (n - x) / std::max(1.0, n - w));
    case ScheduleType::kCosine: {
      double progress = (x - w) / std::max(1.0, n - w);
      return std::max(0.0,
                      0.5 * (1.0 + std::cos(std::numbers::pi * o.num_cycles * 2.0 * progress)));
    }
    case ScheduleType::kConstant:
      break;
  }
  return 1.0;
}

LRScheduler::LRScheduler(Optimizer& optimizer, const ScheduleOptions& options)
    : optimizer_(&optimizer), options_(options), base_lr_(optimizer.lr()) {
  options_.validate();
  optimizer_->set_lr(last_lr());
}

void LRScheduler::step() {
  ++step_;
  optimizer_->set_lr(last_lr());
}

double LRScheduler::last_lr() const {
  return base_lr_ * schedule_lambda(options_, step_);
}

void LRScheduler::load_state(int64_t step) {
  FG_CHECK(step >= 0, "[LRScheduler] step must be >= 0, got {}", step);
  step_ = step;
  optimizer_->set_lr(last_lr());
}

std::string LRScheduler::repr() const {
  return fmt::format("LRScheduler(type={}, base_lr={}, warmup_steps={}, total_steps={})",
                     schedule_type_name(options_.type), base_lr_, options_.resolved_warmup_steps(),
                     options_.total_steps);
}

}  // namespace fg::optim
