#include "cli/commands/launch.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace fg::cli {

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
  std::vector<std::string> cmd = {launcher && *launcher ? launcher : "mpirun", "-np",
                                  std::to_string(nproc), "--oversubscribe"};
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

void exec_command(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const auto& part : command) argv.push_back(const_cast<char*>(part.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  throw Error("[train] cannot start " + command[0] + " for --nproc: " + std::strerror(errno) +
              " (install openmpi-bin, or set FG_MPIRUN)");
}

}  // namespace fg::cli
