#pragma once
// Which compiled copy of the CPU kernels runs (runtime ISA dispatch). The kernels are built once
// per ISA (cmake/FgIsa.cmake); at start-up CpuBackend takes the best copy the CPU supports, or
// the one FORGATHER_ISA names.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/cpu/kernel_table.h"

namespace fg::kernels::cpu {

// Baseline: x86-64-v2 (SSE4.2). Avx2: x86-64-v3 (AVX2, FMA). Avx512: x86-64-v4 plus AVX512-BF16.
// Native: the single copy of an FG_NATIVE=ON build (-march=native), or the only copy on other
// architectures.
enum class Isa { Baseline, Avx2, Avx512, Native };

std::string_view isa_name(Isa isa);
// The copies this binary holds, worst first.
const std::vector<Isa>& compiled_isas();
bool cpu_supports(Isa isa);
// The compiled ISAs this CPU can run, worst first.
std::vector<Isa> supported_isas();

// The ISA named by `override_name` (FORGATHER_ISA's value; null or empty means none), else the
// best compiled one `supported` accepts. Throws fg::Error for an unknown name, an ISA this binary
// lacks, or one `supported` refuses.
Isa select_isa(const char* override_name, const std::function<bool(Isa)>& supported = cpu_supports);
// select_isa with the FORGATHER_ISA environment variable.
Isa isa_from_environment();

const KernelTable& kernels_for(Isa isa);

}  // namespace fg::kernels::cpu
