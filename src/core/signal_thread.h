#pragma once
// SIGINT and SIGTERM taken by one thread of their own, never by a thread that computes.
//
// Why: a signal handler runs on the stack of whichever thread the signal interrupts. oneDNN's
// JIT GEMM kernels (AVX2 and newer) do not survive that: with a handler installed, sending
// SIGINT every 5 ms to a training process corrupted its heap within seconds ("malloc():
// unaligned tcache chunk", "corrupted size vs. prev_size"), and about one 2-rank run in ten died
// that way after Ctrl-C; with oneDNN limited to SSE4.1, or with the signals blocked as below,
// it never did. So the forgather executable blocks both signals in every thread and waits for
// them in a dedicated thread with sigwait(); whoever wants to react subscribes.
#include <functional>

namespace fg {

// Blocks SIGINT and SIGTERM in the calling thread, so in every thread it starts afterwards, and
// starts the thread that takes them. Call in main() before any other thread exists. Without a
// subscriber a signal ends the process as it would have (its default action). Idempotent.
void start_signal_thread();
bool signal_thread_running();

// For a child between fork() and exec(): the signals the parent blocked, unblocked again.
void unblock_interrupt_signals_in_child();

// While one lives, the signal thread hands each SIGINT/SIGTERM to `on_signal` (on the signal
// thread) instead of ending the process. The newest subscription wins; destroying an older one
// leaves a newer one in place. Requires signal_thread_running().
class SignalSubscription {
 public:
  explicit SignalSubscription(std::function<void(int)> on_signal);
  ~SignalSubscription();
  SignalSubscription(const SignalSubscription&) = delete;
  SignalSubscription& operator=(const SignalSubscription&) = delete;

 private:
  unsigned long id_;
};

// What a subscriber does for a signal it will not handle (a second Ctrl-C): the default action,
// which ends the process with that signal.
[[noreturn]] void end_process_by_signal(int signum);

}  // namespace fg
