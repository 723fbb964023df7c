#include "cli/commands/launch.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/signal_thread.h"

namespace fg::cli {
namespace {

// The first SIGINT/SIGTERM that reached this process while it waits for the launcher. A signal
// handler can reach only process-wide state; run_launcher alone uses this.
volatile sig_atomic_t g_signal = 0;

extern "C" void remember_signal(int signum) {
  if (g_signal == 0) g_signal = signum;
}

// The processes `parent` started (with any of its threads): on this machine, mpirun's ranks.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  const auto tasks = std::filesystem::path("/proc") / std::to_string(parent) / "task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "children");
    for (pid_t pid = 0; in >> pid;) out.push_back(pid);
  }
  return out;
}

// Ctrl-C goes to the ranks themselves: each finishes its step, rank 0 saves, and each exits 130.
// Sent to mpirun instead, it would give them 1 s (odls_base_sigkill_timeout) between its SIGTERM
// and its SIGKILL. Before the ranks exist, mpirun gets the signal.
void pass_on(pid_t launcher, int signum) {
  const std::vector<pid_t> ranks = children_of(launcher);
  if (ranks.empty()) kill(launcher, signum);
  for (pid_t rank : ranks) kill(rank, signum);
}

std::vector<char*> argv_of(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const auto& part : command) argv.push_back(const_cast<char*>(part.c_str()));
  argv.push_back(nullptr);
  return argv;
}

}  // namespace

int64_t launch_ranks(int64_t nproc, const std::vector<Device>& devices, const std::string& text) {
  const auto gpus = static_cast<int64_t>(devices.size());
  if (devices.empty() || devices.front().is_host()) return nproc;
  if (gpus == 1) {
    if (nproc > 1)
      throw Error(fmt::format(
          "[train] --nproc {} with -d {}: every rank needs a GPU of its own (NCCL refuses two "
          "ranks on one device); list one per rank, such as -d 0,1, or drop --nproc",
          nproc, text));
    return 1;
  }
  if (nproc > 1 && nproc != gpus)
    throw Error(fmt::format(
        "[train] --nproc {} and -d {} disagree: -d starts one rank per listed GPU ({}); drop "
        "--nproc",
        nproc, text, gpus));
  return gpus;
}

Device rank_device(const std::vector<Device>& devices, int local_rank, const std::string& text) {
  if (devices.empty() || devices.front().is_host()) return Device::cpu();
  if (local_rank < 0 || static_cast<size_t>(local_rank) >= devices.size())
    throw Error(fmt::format(
        "[train] -d {} lists {} GPU(s), but this rank is local rank {} of its node: start at "
        "most {} rank(s) per node, one per listed GPU",
        text, devices.size(), local_rank, devices.size()));
  return devices[static_cast<size_t>(local_rank)];
}

std::string rank_device_plan(const std::vector<Device>& devices) {
  std::string out;
  for (size_t r = 0; r < devices.size(); ++r)
    out += fmt::format("{}rank {} -> {}", r == 0 ? "" : ", ", r, devices[r].to_string());
  return out;
}

std::vector<std::string> strip_nproc(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--nproc") {
      ++i;  // and its value
      continue;
    }
    if (args[i].rfind("--nproc=", 0) == 0) continue;
    out.push_back(args[i]);
  }
  return out;
}

std::vector<std::string> mpirun_command(int64_t nproc, const std::vector<std::string>& args) {
  const char* launcher = std::getenv("FG_MPIRUN");
  std::vector<std::string> cmd = {launcher && *launcher ? launcher : "mpirun",
                                  "-np",
                                  std::to_string(nproc),
                                  "--oversubscribe",
                                  "--stdin",
                                  "none"};
  if (geteuid() == 0) cmd.push_back("--allow-run-as-root");
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  cmd.push_back(ec ? "forgather" : self.string());
  cmd.insert(cmd.end(), args.begin(), args.end());
  return cmd;
}

std::string join_command(const std::vector<std::string>& command) {
  std::string out;
  for (const auto& part : command) {
    if (!out.empty()) out += ' ';
    const bool plain =
        !part.empty() && part.find_first_of(" \t\"'$\\*?;&|<>()") == std::string::npos;
    out += plain ? part : "'" + part + "'";
  }
  return out;
}

void run_launcher(const std::vector<std::string>& command) {
  std::vector<char*> argv = argv_of(command);
  int ready[2];  // closed on exec; a byte on it is the child's errno when exec failed
  if (pipe2(ready, O_CLOEXEC) != 0)
    throw Error(std::string("[train] cannot start a launcher: pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    close(ready[0]);
    close(ready[1]);
    throw Error(std::string("[train] cannot start a launcher: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Its own process group: Ctrl-C at the terminal reaches only this process, which passes it
    // on to the ranks once (mpirun, given it, would kill them before they save).
    setpgid(0, 0);
    unblock_interrupt_signals_in_child();  // mpirun must see Ctrl-C's signals as usual
    execvp(argv[0], argv.data());
    const int err = errno;
    (void)!write(ready[1], &err, sizeof err);
    _exit(127);
  }
  close(ready[1]);
  int exec_errno = 0;
  const bool exec_failed = read(ready[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno;
  close(ready[0]);
  // The first SIGINT/SIGTERM goes on to the ranks: from the signal thread in the forgather
  // executable, else from this loop, whose waitpid a handler interrupts (no SA_RESTART).
  std::atomic<int> passed_on{0};
  std::unique_ptr<SignalSubscription> subscription;
  struct sigaction previous_int {
  }, previous_term{};
  if (signal_thread_running()) {
    subscription = std::make_unique<SignalSubscription>([&passed_on, pid](int signum) {
      int none = 0;
      if (passed_on.compare_exchange_strong(none, signum)) pass_on(pid, signum);
    });
  } else {
    struct sigaction action {};
    action.sa_handler = remember_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    int none = 0;
    if (g_signal != 0 && passed_on.compare_exchange_strong(none, g_signal)) pass_on(pid, g_signal);
  }
  if (subscription) {
    subscription.reset();
  } else {
    sigaction(SIGINT, &previous_int, nullptr);
    sigaction(SIGTERM, &previous_term, nullptr);
  }
  if (exec_failed)
    throw Error("[train] cannot start " + command[0] + " for --nproc: " +
                std::strerror(exec_errno) + " (install openmpi-bin, or set FG_MPIRUN)");
  if (passed_on != 0)
    throw Interrupted("[train] interrupted by signal " + std::to_string(passed_on.load()) +
                      ": passed on to the ranks, which save a checkpoint and stop");
  if (WIFSIGNALED(status))
    throw Error("[train] " + command[0] + " was killed by signal " +
                std::to_string(WTERMSIG(status)));
  if (WEXITSTATUS(status) != 0)
    throw Error("[train] " + command[0] + " exited with status " +
                std::to_string(WEXITSTATUS(status)) + " (its ranks' messages are above)");
}

}  // namespace fg::cli
