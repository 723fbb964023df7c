// Runtime ISA dispatch: the choice from CPUID, the FORGATHER_ISA override and its refusals.
#include "kernels/cpu/isa.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "kernels/cpu/cpu_backend.h"

namespace fg::kernels::cpu {
namespace {

std::string error_of(const char* override_name, const std::function<bool(Isa)>& supported) {
  try {
    select_isa(override_name, supported);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool any(Isa) {
  return true;
}

TEST(Isa, BestSupportedCopyIsChosenWithoutOverride) {
  const auto& built = compiled_isas();
  ASSERT_FALSE(built.empty());
  EXPECT_EQ(select_isa(nullptr, any), built.back());
  EXPECT_EQ(select_isa("", any), built.back());
  const Isa worst = built.front();
  EXPECT_EQ(select_isa(nullptr, [&](Isa isa) { return isa == worst; }), worst);
}

TEST(Isa, OverrideNamesAnyCompiledCopy) {
  for (Isa isa : compiled_isas())
    EXPECT_EQ(select_isa(std::string(isa_name(isa)).c_str(), any), isa);
}

TEST(Isa, UnknownNameIsRefused) {
  const std::string msg = error_of("bogus", any);
  EXPECT_NE(msg.find("[cpu] FORGATHER_ISA=bogus is not an ISA; expected one of: "),
            std::string::npos)
      << msg;
}

TEST(Isa, IsaTheCpuLacksIsRefused) {
  const Isa best = compiled_isas().back();
  const std::string name(isa_name(best));
  const std::string msg = error_of(name.c_str(), [&](Isa isa) { return isa != best; });
  EXPECT_NE(msg.find("FORGATHER_ISA=" + name + ": this CPU lacks the instructions"),
            std::string::npos)
      << msg;
}

TEST(Isa, CopyNotInThisBinaryIsRefused) {
  for (const char* name : {"baseline", "avx2", "avx512", "native"}) {
    bool built = false;
    for (Isa isa : compiled_isas()) built = built || isa_name(isa) == name;
    if (built) continue;
    EXPECT_NE(error_of(name, any).find("this binary holds no"), std::string::npos) << name;
  }
}

// Every entry is set, except the bf16 attention kernels, which exist exactly in the copies built
// with AVX512-BF16 (avx512) and which supports(Attention, BF16) reports.
TEST(Isa, EverySupportedCopyHasAFullTableAndRunsInTheBackend) {
  const auto isas = supported_isas();
  ASSERT_FALSE(isas.empty()) << "this CPU runs none of the compiled kernel copies";
  for (Isa isa : isas) {
    SCOPED_TRACE(std::string(isa_name(isa)));
    const KernelTable& k = kernels_for(isa);
    const auto* fields = reinterpret_cast<void* const*>(&k);
    const void* const bf16_fwd = reinterpret_cast<const void*>(&k.attention_forward_bf16);
    const void* const bf16_bwd = reinterpret_cast<const void*>(&k.attention_backward_bf16);
    for (size_t i = 0; i < sizeof(KernelTable) / sizeof(void*); ++i)
      if (fields + i != bf16_fwd && fields + i != bf16_bwd) {
        EXPECT_NE(fields[i], nullptr) << i;
      }
    const bool has_bf16 = k.attention_forward_bf16 != nullptr;
    EXPECT_EQ(k.attention_backward_bf16 != nullptr, has_bf16);
    if (isa == Isa::Avx512 || isa == Isa::Avx2 || isa == Isa::Baseline) {
      EXPECT_EQ(has_bf16, isa == Isa::Avx512);
    }
    CpuBackend backend(isa);
    EXPECT_EQ(backend.supports(Kernel::Attention, DType::BF16), has_bf16);
    EXPECT_TRUE(backend.supports(Kernel::Attention, DType::F32));
    EXPECT_FALSE(backend.supports(Kernel::Attention, DType::F16));
    EXPECT_EQ(backend.isa(), isa);
    float x[3] = {1, 2, 3}, y[3];
    backend.softmax_forward(x, y, 1, 3);
    EXPECT_NEAR(y[0] + y[1] + y[2], 1.0f, 1e-6f);
  }
}

}  // namespace
}  // namespace fg::kernels::cpu
