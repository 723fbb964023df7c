#include "train/interrupt.h"

#include <gtest/gtest.h>

#include <csignal>

namespace fg::train {
namespace {

TEST(InterruptGuard, TurnsSignalsIntoAFlag) {
  InterruptGuard guard;
  EXPECT_FALSE(guard.requested());
  std::raise(SIGTERM);
  EXPECT_EQ(guard.received(), SIGTERM);
}

TEST(InterruptGuard, RestoresThePreviousHandler) {
  static int seen = 0;
  auto* previous = std::signal(SIGINT, [](int) { seen = 1; });
  {
    InterruptGuard guard;
    std::raise(SIGINT);
    EXPECT_TRUE(guard.requested());
    EXPECT_EQ(seen, 0);
  }
  std::raise(SIGINT);
  EXPECT_EQ(seen, 1);
  std::signal(SIGINT, previous);
}

}  // namespace
}  // namespace fg::train
