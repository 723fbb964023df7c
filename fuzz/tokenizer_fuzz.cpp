// libFuzzer entry for the tokenizer target; the body is fg::fuzz::run_tokenizer (entries/).
#include <cstddef>
#include <cstdint>

#include "entries/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fg::fuzz::run_tokenizer({data, size});
  return 0;
}
