#include "core/signal_thread.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/check.h"

namespace fg {
namespace {

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Shared with the detached signal thread, which may run while the process exits: never freed.
struct SignalState {
  std::mutex mutex;
  std::function<void(int)> subscriber;
  unsigned long subscriber_id = 0;
  unsigned long next_id = 1;
  std::atomic<bool> running{false};
};

SignalState& state() {
  static auto* s = new SignalState;
  return *s;
}

void take_signals() {
  const sigset_t set = interrupt_signals();
  for (;;) {
    int signum = 0;
    if (sigwait(&set, &signum) != 0) continue;
    // Called under the lock, so a subscription being destroyed waits for its callback to end.
    std::lock_guard lock(state().mutex);
    if (!state().subscriber) end_process_by_signal(signum);
    state().subscriber(signum);
  }
}

// The signal thread, for the forwarding handler below.
pthread_t g_signal_thread;

// A thread that some library started before main() does not block the signals, so the kernel
// may pick it; the handler passes the signal on to the signal thread (which blocks it, so it
// stays pending there for sigwait). pthread_kill is async-signal-safe.
extern "C" void forward_to_signal_thread(int signum) {
  pthread_kill(g_signal_thread, signum);
}

}  // namespace

void start_signal_thread() {
  if (state().running.exchange(true)) return;
  const sigset_t set = interrupt_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread thread(take_signals);
  g_signal_thread = thread.native_handle();
  thread.detach();
  struct sigaction action {};
  action.sa_handler = forward_to_signal_thread;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool signal_thread_running() {
  return state().running.load();
}

void unblock_interrupt_signals_in_child() {
  const sigset_t set = interrupt_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void end_process_by_signal(int signum) {
  signal(signum, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signum);
  pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  raise(signum);  // delivered to this thread at once: the default action ends the process
  std::_Exit(128 + signum);
}

SignalSubscription::SignalSubscription(std::function<void(int)> on_signal) {
  FG_CHECK(signal_thread_running(), "[signals] subscribe after start_signal_thread()");
  std::lock_guard lock(state().mutex);
  id_ = state().next_id++;
  state().subscriber = std::move(on_signal);
  state().subscriber_id = id_;
}

SignalSubscription::~SignalSubscription() {
  std::lock_guard lock(state().mutex);
  if (state().subscriber_id != id_) return;  // a newer subscription replaced this one
  state().subscriber = nullptr;
  state().subscriber_id = 0;
}

}  // namespace fg
