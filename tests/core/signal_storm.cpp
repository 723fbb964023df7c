// A storm of SIGINTs while oneDNN GEMMs run on every OpenMP thread: with the signal thread
// (core/signal_thread.h) every signal reaches the subscriber and every GEMM result stays exact.
// `signal_storm --handler` installs a plain signal handler instead, as forgather once did; that
// corrupts the heap or the results within seconds on an AVX2/AVX-512 machine, which is why
// this is a standalone program and not a gtest (the signals must be blocked before any thread
// starts). Exit 0: every check held.
#include <omp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "core/signal_thread.h"
#include "kernels/cpu/gemm.h"

namespace {

std::atomic<int> g_seen{0};
extern "C" void count_signal(int) {
  g_seen.fetch_add(1);
}

// Fills C = A B for the shapes a small transformer's training step multiplies.
std::vector<float> product(int64_t M, int64_t N, int64_t K, bool trans_b) {
  std::vector<float> a(static_cast<size_t>(M * K)), b(static_cast<size_t>(K * N)),
      c(static_cast<size_t>(M * N));
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i % 7) * 0.25f - 0.5f;
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>(i % 5) * 0.125f - 0.25f;
  fg::kernels::cpu::gemm(false, trans_b, M, N, K, 1.0f, a.data(), K, b.data(), trans_b ? K : N,
                         0.0f, c.data(), N);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const bool handler = argc > 1 && std::strcmp(argv[1], "--handler") == 0;
  std::unique_ptr<fg::SignalSubscription> subscription;
  if (handler) {
    struct sigaction action {};
    action.sa_handler = count_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
  } else {
    fg::start_signal_thread();
    subscription = std::make_unique<fg::SignalSubscription>([](int) { g_seen.fetch_add(1); });
  }
  const std::vector<float> want_nn = product(512, 288, 288, false);
  const std::vector<float> want_nt = product(512, 1152, 288, true);
  std::atomic<bool> done{false};
  int sent = 0;
  std::thread storm([&] {
    while (!done.load()) {
      kill(getpid(), SIGINT);
      ++sent;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  });
  int mismatches = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  long rounds = 0;
  while (std::chrono::steady_clock::now() < end) {
    mismatches += product(512, 288, 288, false) != want_nn;
    mismatches += product(512, 1152, 288, true) != want_nt;
    std::vector<char*> churn;  // heap traffic, so corruption shows up in malloc's own checks
    for (int i = 0; i < 64; ++i) churn.push_back(new char[static_cast<size_t>(64 + 97 * i)]);
    for (char* p : churn) delete[] p;
    ++rounds;
  }
  done = true;
  storm.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the last signals arrive
  std::printf("%s: %d threads, %ld rounds of GEMMs, %d SIGINTs sent, %d taken, %d wrong results\n",
              handler ? "signal handler" : "signal thread", omp_get_max_threads(), rounds, sent,
              g_seen.load(), mismatches);
  const bool ok = mismatches == 0 && g_seen.load() > 0 && rounds > 0;
  std::puts(ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
