// `forgather info` and `forgather --version`: which kernel copy (ISA) this machine runs, the GEMM
// library, the thread count and the OpenMP wait policy.
#include <omp.h>

#include <cstdlib>

#include "cli/commands/commands.h"
#include "core/openmp_env.h"
#include "kernels/cpu/gemm.h"
#include "kernels/cpu/isa.h"

namespace fg::cli {
namespace {

std::string isa_list(const std::vector<kernels::cpu::Isa>& isas) {
  std::string s;
  for (auto isa : isas) s += (s.empty() ? "" : ", ") + std::string(kernels::cpu::isa_name(isa));
  return s.empty() ? "none" : s;
}

// Throws fg::Error for a FORGATHER_ISA the CPU or the binary cannot run, as training would.
std::string build_info() {
  namespace cpu = kernels::cpu;
  const char* override_name = std::getenv("FORGATHER_ISA");
  const bool overridden = override_name && *override_name;
  const cpu::Isa isa = cpu::isa_from_environment();
  std::string s = "forgather (Forgather C++)\n";
  s += "kernel ISA: " + std::string(cpu::isa_name(isa)) +
       (overridden ? " (from FORGATHER_ISA)" : " (the best this CPU supports)") + "\n";
  s += "  compiled: " + isa_list(cpu::compiled_isas()) + "\n";
  s += "  this CPU: " + isa_list(cpu::supported_isas()) + "\n";
  s += "GEMM:       " + cpu::gemm_library() + "\n";
  s += "threads:    " + std::to_string(omp_get_max_threads()) + " (OpenMP; OMP_NUM_THREADS)\n";
  s += "  wait:     " + std::string(openmp_wait_policy_source()) + "\n";
  return s;
}

}  // namespace

void add_info_command(CLI::App& app, CliContext& ctx) {
  app.set_version_flag("--version", build_info);
  auto* sub = app.add_subcommand("info", "Show the kernel ISA, GEMM library and thread count");
  sub->callback([&ctx] { ctx.output() << build_info(); });
}

}  // namespace fg::cli
