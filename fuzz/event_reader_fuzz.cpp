// libFuzzer entry for the event_reader target; the body is fg::fuzz::run_event_reader (entries/).
#include <cstddef>
#include <cstdint>

#include "entries/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fg::fuzz::run_event_reader({data, size});
  return 0;
}
