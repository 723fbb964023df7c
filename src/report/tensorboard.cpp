#include "report/tensorboard.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ostream>

#include "core/error.h"

extern char** environ;

namespace fs = std::filesystem;

namespace fg::report {

std::optional<fs::path> find_on_path(const std::string& name, const std::string& path_env) {
  size_t start = 0;
  while (start <= path_env.size()) {
    const size_t colon = std::min(path_env.find(':', start), path_env.size());
    const std::string dir = path_env.substr(start, colon - start);
    const fs::path candidate = (dir.empty() ? fs::path(".") : fs::path(dir)) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = colon + 1;
  }
  return std::nullopt;
}

std::vector<std::string> tensorboard_argv(const fs::path& executable, const fs::path& logdir,
                                          const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {executable.string(), "--logdir", logdir.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

std::string tensorboard_missing_message(const fs::path& logdir) {
  return "[tb] no `tensorboard` executable on PATH.\n"
         "  Install it with:   pip install tensorboard\n"
         "  then run:          tensorboard --logdir " +
         logdir.string() +
         "\n"
         "  Offline alternative (no TensorBoard needed): forgather compare " +
         (logdir / "*").string() +
         "\n"
         "  writes a table and an HTML report with the loss and learning-rate curves.\n";
}

int run_tensorboard(const TensorBoardOptions& o, std::ostream& out, std::ostream& err) {
  auto exe = find_on_path("tensorboard", o.path_env);
  if (!exe) {
    err << tensorboard_missing_message(o.logdir);
    return kTensorBoardMissingExit;
  }
  const std::vector<std::string> args = tensorboard_argv(*exe, o.logdir, o.extra_args);
  std::string line;
  for (const auto& a : args) line += (line.empty() ? "" : " ") + a;
  out << line << "\n" << std::flush;
  if (!fs::exists(o.logdir)) err << "[tb] note: " << o.logdir.string() << " does not exist yet\n";
  if (o.dry_run) return 0;
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  // forgather blocks SIGINT/SIGTERM in its threads (core/signal_thread.h); tensorboard starts
  // with none blocked, so Ctrl-C stops it as usual.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  const int rc = posix_spawn(&pid, argv[0], nullptr, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw Error("[tb] cannot start " + exe->string() + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw Error(std::string("[tb] waiting for tensorboard: ") + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace fg::report
