// The TensorBoard event reader: the input is decoded as one event payload, and read as an event
// file (TFRecord framing and CRCs).
#include "core/error.h"
#include "entries/fuzz_entry.h"
#include "entries/input_text.h"
#include "entries/scratch_dir.h"
#include "formats/event_reader.h"

namespace fg::fuzz {

void run_event_reader(FuzzInput data) {
  try {
    formats::parse_event(as_text(data), "fuzz payload");
  } catch (const Error&) {
  }
  try {
    const auto events =
        formats::read_events(write_scratch_file("events.out.tfevents", as_text(data)));
    formats::scalar_series(events, "train/loss");
  } catch (const Error&) {
  }
}

}  // namespace fg::fuzz
