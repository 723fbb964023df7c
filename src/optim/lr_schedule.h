#pragma once
// Learning-rate schedules of transformers.get_scheduler (spec-ml §5.4), as a LambdaLR:
// lr(s) = base_lr * lambda(s). The scheduler starts at s = 0 and step() runs after every
// optimizer step, so update k (1-based) uses lambda(k-1); with warmup the first update has lr 0.
#include <cstdint>
#include <string>
#include <string_view>

#include "optim/optimizer.h"

namespace fg::optim {

enum class ScheduleType { kLinear, kCosine, kConstant, kConstantWithWarmup };

// "linear", "cosine", "constant", "constant_with_warmup"; throws fg::Error with suggestions.
ScheduleType parse_schedule_type(std::string_view name);
std::string_view schedule_type_name(ScheduleType type);

struct ScheduleOptions {
  ScheduleType type = ScheduleType::kLinear;
  int64_t warmup_steps = 0;   // W; when 0, ceil(warmup_ratio * total_steps) is used
  double warmup_ratio = 0.0;  // in [0, 1]
  int64_t total_steps = 0;    // N (max_steps); needed by linear and cosine
  double num_cycles = 0.5;    // cosine: 0.5 = one half-wave down to 0
  void validate() const;
  int64_t resolved_warmup_steps() const;  // transformers' get_warmup_steps
};

// lambda(s) for step s >= 0.
double schedule_lambda(const ScheduleOptions& options, int64_t s);

class LRScheduler {
 public:
  // Takes the optimizer's current lr as base_lr and sets lr = base_lr * lambda(0).
  LRScheduler(Optimizer& optimizer, const ScheduleOptions& options);

  void step();  // s += 1; lr = base_lr * lambda(s)
  int64_t last_step() const { return step_; }
  double last_lr() const;  // base_lr * lambda(last_step()), the value logged as learning_rate
  double base_lr() const { return base_lr_; }
  const ScheduleOptions& options() const { return options_; }
  std::string repr() const;

  // Checkpoint state: the step; loading sets the optimizer's lr to match.
  int64_t state() const { return step_; }
  void load_state(int64_t step);

 private:
  Optimizer* optimizer_;
  ScheduleOptions options_;
  double base_lr_;
  int64_t step_ = 0;
};

}  // namespace fg::optim
