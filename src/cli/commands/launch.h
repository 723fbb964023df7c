#pragma once
// `train --nproc N`: the same command line again, N times, under mpirun.
#include <string>
#include <vector>

namespace fg::cli {

// `args` without `--nproc N` / `--nproc=N` (the re-executed ranks must not launch again).
std::vector<std::string> strip_nproc(const std::vector<std::string>& args);

// mpirun -np N [--oversubscribe --allow-run-as-root] <this executable> <args>. $FG_MPIRUN names
// another launcher binary; root needs --allow-run-as-root, and --oversubscribe lets N exceed
// the cores.
std::vector<std::string> mpirun_command(int64_t nproc, const std::vector<std::string>& args);

// The command as a shell would show it.
std::string join_command(const std::vector<std::string>& command);

// Replaces this process with `command`; throws fg::Error when it cannot start.
[[noreturn]] void exec_command(const std::vector<std::string>& command);

}  // namespace fg::cli
