// libFuzzer entry for the yaml target; the body is fg::fuzz::run_yaml (entries/).
#include <cstddef>
#include <cstdint>

#include "entries/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fg::fuzz::run_yaml({data, size});
  return 0;
}
