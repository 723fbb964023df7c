#pragma once
// `train --nproc N`: the same command line again, N times, under mpirun.
#include <string>
#include <vector>

namespace fg::cli {

// `args` without `--nproc N` / `--nproc=N` (the re-executed ranks must not launch again).
std::vector<std::string> strip_nproc(const std::vector<std::string>& args);

// mpirun -np N --oversubscribe --stdin none [--allow-run-as-root] <this executable> <args>.
// $FG_MPIRUN names another launcher binary; root needs --allow-run-as-root, and --oversubscribe
// lets N exceed the cores.
std::vector<std::string> mpirun_command(int64_t nproc, const std::vector<std::string>& args);

// The command as a shell would show it.
std::string join_command(const std::vector<std::string>& command);

// Runs `command` in its own process group and waits for it. SIGINT/SIGTERM reaching this process
// are passed on to its ranks, and then this throws fg::Interrupted (exit 130); a failed start or a
// non-zero exit throws fg::Error naming the status.
void run_launcher(const std::vector<std::string>& command);

}  // namespace fg::cli
