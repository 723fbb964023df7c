#include "train/interrupt.h"

#include <atomic>
#include <csignal>

namespace fg::train {
namespace {

// Signal handlers can only reach process-wide state; this flag is the one exception to the
// no-globals rule, and only InterruptGuard touches it.
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
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  g_signal = 0;
}

int InterruptGuard::received() const {
  return g_signal.load();
}

}  // namespace fg::train
