#include "train/interrupt.h"

#include <csignal>

#include "core/signal_thread.h"

namespace fg::train {
namespace {

// The fallback's handler can only reach process-wide state; this flag is the one exception to
// the no-globals rule, and only InterruptGuard touches it.
std::atomic<int> g_signal{0};
struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

extern "C" void on_signal(int signum) {
  if (g_signal.exchange(signum) != 0) {
    std::signal(signum, SIG_DFL);  // second signal: next one terminates
  }
}

}  // namespace

InterruptGuard::InterruptGuard() {
  if (signal_thread_running()) {
    subscription_ = std::make_unique<SignalSubscription>([this](int signum) {
      int none = 0;
      if (!signal_.compare_exchange_strong(none, signum)) end_process_by_signal(signum);
    });
    return;
  }
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  if (subscription_) return;  // the subscription ends with it
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  g_signal = 0;
}

int InterruptGuard::received() const {
  return subscription_ ? signal_.load() : g_signal.load();
}

}  // namespace fg::train
