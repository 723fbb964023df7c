#pragma once
// `train --nproc N` and `train -d 0,1`: the same command line again, N times, under mpirun.
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/device.h"

namespace fg::cli {

// The ranks `train` launches: --nproc N, or with several GPUs in -d one rank per listed GPU
// (--nproc, when also given, must then equal their number). A GPU list and --nproc that
// disagree, or one GPU shared by several ranks, throw fg::Error naming both flags.
int64_t launch_ranks(int64_t nproc, const std::vector<Device>& devices, const std::string& text);

// The device of the rank at `local_rank` on its node under -d `text`: the list's entry at that
// index (each node of a job lists its own GPUs). Throws fg::Error when the node runs more ranks
// than the list has devices. CPU lists ("cpu") give the CPU to every rank.
Device rank_device(const std::vector<Device>& devices, int local_rank, const std::string& text);

// "rank 0 -> cuda:0, rank 1 -> cuda:1": the --dry-run line for a launch with -d.
std::string rank_device_plan(const std::vector<Device>& devices);

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
