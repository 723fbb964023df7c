// libFuzzer entry for the jinja target; the body is fg::fuzz::run_jinja (entries/).
#include <cstddef>
#include <cstdint>

#include "entries/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fg::fuzz::run_jinja({data, size});
  return 0;
}
