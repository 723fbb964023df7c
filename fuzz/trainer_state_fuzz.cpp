// libFuzzer entry for the trainer_state target; the body is fg::fuzz::run_trainer_state (entries/).
#include <cstddef>
#include <cstdint>

#include "entries/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fg::fuzz::run_trainer_state({data, size});
  return 0;
}
