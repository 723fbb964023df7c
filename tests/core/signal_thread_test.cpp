#include "core/signal_thread.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace fg {
namespace {

// Waits up to 5 s for `counter` to reach `want`: the signal thread takes signals asynchronously.
bool reaches(const std::atomic<int>& counter, int want) {
  for (int i = 0; i < 500 && counter.load() < want; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return counter.load() >= want;
}

TEST(SignalThread, HandsProcessSignalsToTheNewestSubscriber) {
  start_signal_thread();
  ASSERT_TRUE(signal_thread_running());
  std::atomic<int> older{0}, newer{0}, last_signal{0};
  auto first = std::make_unique<SignalSubscription>([&](int s) {
    older.fetch_add(1);
    last_signal = s;
  });
  kill(getpid(), SIGINT);
  ASSERT_TRUE(reaches(older, 1));
  EXPECT_EQ(last_signal.load(), SIGINT);
  {
    SignalSubscription second([&](int s) {
      newer.fetch_add(1);
      last_signal = s;
    });
    first.reset();  // an older subscription ending leaves the newer one in place
    kill(getpid(), SIGTERM);
    ASSERT_TRUE(reaches(newer, 1));
    EXPECT_EQ(last_signal.load(), SIGTERM);
    EXPECT_EQ(older.load(), 1);
  }
}

TEST(SignalThread, StartingTwiceKeepsOneThread) {
  start_signal_thread();
  start_signal_thread();
  std::atomic<int> seen{0};
  SignalSubscription subscription([&](int) { seen.fetch_add(1); });
  for (int i = 0; i < 20; ++i) kill(getpid(), SIGINT);
  ASSERT_TRUE(reaches(seen, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LE(seen.load(), 20);
}

TEST(SignalThread, WithoutASubscriberTheSignalEndsTheProcess) {
  // In a child, so the default action ends only it; "threadsafe" starts the child afresh, as
  // a forked child would lack the signal thread that an earlier test started.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        start_signal_thread();
        kill(getpid(), SIGTERM);
        std::this_thread::sleep_for(std::chrono::seconds(5));
        std::_Exit(0);
      },
      testing::KilledBySignal(SIGTERM), "");
}

}  // namespace
}  // namespace fg
