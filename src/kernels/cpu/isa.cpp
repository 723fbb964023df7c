// Runtime ISA dispatch: which copies this binary holds (FG_ISA_BUILT_* from cmake/FgIsa.cmake),
// what the CPU supports (CPUID via __builtin_cpu_supports) and the FORGATHER_ISA override.
#include "kernels/cpu/isa.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include "core/check.h"

namespace fg::kernels::cpu {

namespace {

constexpr Isa kAllIsas[] = {Isa::Baseline, Isa::Avx2, Isa::Avx512, Isa::Native};

std::string names(const std::vector<Isa>& isas) {
  std::string s;
  for (Isa isa : isas) s += (s.empty() ? "" : ", ") + std::string(isa_name(isa));
  return s.empty() ? "none" : s;
}

}  // namespace

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::Baseline:
      return "baseline";
    case Isa::Avx2:
      return "avx2";
    case Isa::Avx512:
      return "avx512";
    case Isa::Native:
      return "native";
  }
  return "?";
}

const std::vector<Isa>& compiled_isas() {
  static const std::vector<Isa> isas = {
#if FG_ISA_BUILT_BASELINE
    Isa::Baseline,
#endif
#if FG_ISA_BUILT_AVX2
    Isa::Avx2,
#endif
#if FG_ISA_BUILT_AVX512
    Isa::Avx512,
#endif
#if FG_ISA_BUILT_NATIVE
    Isa::Native,
#endif
  };
  return isas;
}

bool cpu_supports(Isa isa) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  switch (isa) {
    case Isa::Baseline:
      return __builtin_cpu_supports("x86-64-v2");
    case Isa::Avx2:
      return __builtin_cpu_supports("x86-64-v3");
    case Isa::Avx512:
      return __builtin_cpu_supports("x86-64-v4") && __builtin_cpu_supports("avx512bf16");
    case Isa::Native:
      return true;  // built for the machine that builds it
  }
  return false;
#else
  return isa == Isa::Native;
#endif
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> isas;
  for (Isa isa : compiled_isas())
    if (cpu_supports(isa)) isas.push_back(isa);
  return isas;
}

Isa select_isa(const char* override_name, const std::function<bool(Isa)>& supported) {
  const auto& built = compiled_isas();
  if (override_name && *override_name) {
    const std::string_view want = override_name;
    const auto* named = std::find_if(std::begin(kAllIsas), std::end(kAllIsas),
                                     [&](Isa isa) { return isa_name(isa) == want; });
    FG_CHECK(named != std::end(kAllIsas),
             "[cpu] FORGATHER_ISA={} is not an ISA; expected one of: {}", want, names(built));
    FG_CHECK(std::find(built.begin(), built.end(), *named) != built.end(),
             "[cpu] FORGATHER_ISA={}: this binary holds no {} kernels; it has: {}", want, want,
             names(built));
    if (!supported(*named)) {
      std::vector<Isa> usable;
      std::copy_if(built.begin(), built.end(), std::back_inserter(usable), supported);
      throw Error(
          fmt::format("[cpu] FORGATHER_ISA={}: this CPU lacks the instructions the {} kernels use; "
                      "it can run: {}",
                      want, want, names(usable)));
    }
    return *named;
  }
  for (auto it = built.rbegin(); it != built.rend(); ++it)
    if (supported(*it)) return *it;
  throw Error(fmt::format("[cpu] this CPU supports none of the kernel ISAs this binary holds ({})",
                          names(built)));
}

Isa isa_from_environment() {
  return select_isa(std::getenv("FORGATHER_ISA"));
}

const KernelTable& kernels_for(Isa isa) {
  switch (isa) {
#if FG_ISA_BUILT_BASELINE
    case Isa::Baseline:
      return baseline::kKernelTable;
#endif
#if FG_ISA_BUILT_AVX2
    case Isa::Avx2:
      return avx2::kKernelTable;
#endif
#if FG_ISA_BUILT_AVX512
    case Isa::Avx512:
      return avx512::kKernelTable;
#endif
#if FG_ISA_BUILT_NATIVE
    case Isa::Native:
      return native::kKernelTable;
#endif
    default:
      break;
  }
  throw Error(fmt::format("[cpu] this binary holds no {} kernels", isa_name(isa)));
}

}  // namespace fg::kernels::cpu
