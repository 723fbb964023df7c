#include "optim/lr_schedule.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "core/error.h"
#include "optim/sgd.h"

namespace fg::optim {
namespace {

ScheduleOptions opts(ScheduleType t, int64_t w, int64_t n) {
  ScheduleOptions o;
  o.type = t;
  o.warmup_steps = w;
  o.total_steps = n;
  return o;
}

TEST(LRSchedule, LinearWarmupThenLinearDecay) {
  ScheduleOptions o = opts(ScheduleType::kLinear, 100, 26497);  // the baseline of spec-ml §5.4
  EXPECT_EQ(schedule_lambda(o, 0), 0.0);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 50), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 100), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 101), (26497.0 - 101) / (26497 - 100));
  EXPECT_EQ(schedule_lambda(o, 26497), 0.0);
  EXPECT_EQ(schedule_lambda(o, 30000), 0.0);  // floored at 0
}

TEST(LRSchedule, CosineHalfWave) {
  ScheduleOptions o = opts(ScheduleType::kCosine, 10, 110);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 5), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 10), 1.0);
  EXPECT_NEAR(schedule_lambda(o, 60), 0.5, 1e-15);
  EXPECT_NEAR(schedule_lambda(o, 35), 0.5 * (1 + std::cos(std::numbers::pi * 0.25)), 1e-15);
  EXPECT_NEAR(schedule_lambda(o, 110), 0.0, 1e-15);
  EXPECT_GE(schedule_lambda(o, 200), 0.0);
}

TEST(LRSchedule, ConstantAndConstantWithWarmup) {
  EXPECT_EQ(schedule_lambda(opts(ScheduleType::kConstant, 10, 0), 0), 1.0);
  ScheduleOptions o = opts(ScheduleType::kConstantWithWarmup, 4, 0);
  EXPECT_EQ(schedule_lambda(o, 0), 0.0);
  EXPECT_EQ(schedule_lambda(o, 2), 0.5);
  EXPECT_EQ(schedule_lambda(o, 4), 1.0);
  EXPECT_EQ(schedule_lambda(o, 1000), 1.0);
  // No warmup: lambda(0) = 1 (max(1, W) guards the division).
  EXPECT_EQ(schedule_lambda(opts(ScheduleType::kLinear, 0, 10), 0), 1.0);
}

TEST(LRSchedule, WarmupRatioIsCeiled) {
  ScheduleOptions o = opts(ScheduleType::kLinear, 0, 1000);
  o.warmup_ratio = 0.0125;  // 12.5 -> 13
  EXPECT_EQ(o.resolved_warmup_steps(), 13);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 13), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lambda(o, 12), 12.0 / 13.0);
  o.warmup_steps = 5;  // explicit steps win
  EXPECT_EQ(o.resolved_warmup_steps(), 5);
}

TEST(LRScheduler, UpdateKUsesLambdaOfKMinusOne) {
  Tensor w = Tensor::from_vector({0.0f}, {1});
  w.set_requires_grad(true);
  SGD opt({{"w", w}}, {.lr = 3e-4});
  LRScheduler sched(opt, opts(ScheduleType::kLinear, 100, 26497));
  EXPECT_EQ(opt.lr(), 0.0);  // the first update uses lr 0
  std::vector<double> used;
  for (int k = 1; k <= 101; ++k) {
    used.push_back(opt.lr());  // what optimizer.step() of update k sees
    sched.step();
  }
  EXPECT_EQ(used[0], 0.0);
  EXPECT_DOUBLE_EQ(used[1], 3e-4 * 0.01);
  EXPECT_DOUBLE_EQ(used[100], 3e-4);  // update 101 uses lambda(100): the peak
  EXPECT_EQ(sched.last_step(), 101);
  EXPECT_DOUBLE_EQ(sched.last_lr(), 3e-4 * (26497.0 - 101) / 26397);

  // Resume: a new scheduler loaded with the step gives the same lr.
  SGD opt2({{"w", w}}, {.lr = 3e-4});
  LRScheduler sched2(opt2, opts(ScheduleType::kLinear, 100, 26497));
  sched2.load_state(sched.state());
  EXPECT_EQ(opt2.lr(), opt.lr());
  EXPECT_EQ(sched2.base_lr(), 3e-4);
}

TEST(LRScheduler, ParsesNamesAndValidates) {
  EXPECT_EQ(parse_schedule_type("cosine"), ScheduleType::kCosine);
  EXPECT_EQ(parse_schedule_type("constant_with_warmup"), ScheduleType::kConstantWithWarmup);
  try {
    parse_schedule_type("cosin");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'cosine'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(opts(ScheduleType::kLinear, 0, 0).validate(), Error);
  EXPECT_NO_THROW(opts(ScheduleType::kConstant, 0, 0).validate());
  ScheduleOptions o = opts(ScheduleType::kLinear, -1, 10);
  EXPECT_THROW(o.validate(), Error);
  o = opts(ScheduleType::kLinear, 0, 10);
  o.warmup_ratio = 1.5;
  EXPECT_THROW(o.validate(), Error);
}

}  // namespace
}  // namespace fg::optim
