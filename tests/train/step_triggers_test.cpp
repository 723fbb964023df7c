#include "train/step_triggers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"

namespace fg::train {
namespace {

std::vector<int64_t> fired(PeriodicTrigger t, int64_t from, int64_t to) {
  std::vector<int64_t> steps;
  for (int64_t s = from; s <= to; ++s) {
    if (t.step(s)) steps.push_back(s);
  }
  return steps;
}

TEST(PeriodicTrigger, FiresEveryPeriodSteps) {
  EXPECT_EQ(fired(PeriodicTrigger(IntervalStrategy::Steps, 50, 1000), 1, 160),
            (std::vector<int64_t>{50, 100, 150}));
  EXPECT_TRUE(fired(PeriodicTrigger(IntervalStrategy::No, 50, 1000), 1, 500).empty());
  EXPECT_EQ(fired(PeriodicTrigger(IntervalStrategy::Epoch, 50, 30), 1, 90),
            (std::vector<int64_t>{30, 60, 90}));
}

TEST(PeriodicTrigger, RestartsCountingAfterResume) {
  // Resumed at step 26,000 with period 500: the next event is at 26,500.
  EXPECT_EQ(fired(PeriodicTrigger(IntervalStrategy::Steps, 500, 0), 26001, 26600),
            (std::vector<int64_t>{26500}));
}

TEST(PeriodicTrigger, WaitsForTheFirstStep) {
  EXPECT_EQ(fired(PeriodicTrigger(IntervalStrategy::Steps, 10, 0, 25), 1, 40),
            (std::vector<int64_t>{25, 35}));  // due since 10, fires at 25
}

TEST(LogAccumulator, MeanLossRmsAndMaxGradNorm) {
  LogAccumulator acc;
  acc.add_step(2.0, 3.0, 100);
  acc.add_step(4.0, 4.0, 100);
  EXPECT_DOUBLE_EQ(acc.mean_loss(), 3.0);
  EXPECT_DOUBLE_EQ(acc.rms_grad_norm(), std::sqrt(12.5));
  EXPECT_DOUBLE_EQ(acc.max_grad_norm(), 4.0);
  EXPECT_EQ(acc.tokens(), 200);
  acc.reset();
  EXPECT_TRUE(acc.empty());
}

TEST(NonFiniteGuard, SkipsAndAbortsAfterTheLimit) {
  NonFiniteGuard guard(3);
  EXPECT_TRUE(guard.check(1, 2.0, 1.0));
  EXPECT_FALSE(guard.check(2, NAN, 1.0));
  EXPECT_FALSE(guard.check(3, 2.0, INFINITY));
  try {
    guard.check(4, NAN, NAN);
    FAIL() << "expected an abort";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("step 4"), std::string::npos) << e.what();
  }
  EXPECT_EQ(guard.total_skipped(), 3);
}

TEST(NonFiniteGuard, AFiniteStepResetsTheRun) {
  NonFiniteGuard guard(2);
  EXPECT_FALSE(guard.check(1, NAN, 0));
  EXPECT_TRUE(guard.check(2, 1, 1));
  EXPECT_FALSE(guard.check(3, NAN, 0));
  EXPECT_EQ(guard.consecutive(), 1);
}

}  // namespace
}  // namespace fg::train
