// libFuzzer entry for the safetensors target; the body is fg::fuzz::run_safetensors (entries/).
#include <cstddef>
#include <cstdint>

#include "entries/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fg::fuzz::run_safetensors({data, size});
  return 0;
}
