// Checkpoint state: the input is read as trainer_state.json and as an optimizer state file.
#include "core/error.h"
#include "entries/fuzz_entry.h"
#include "entries/input_text.h"
#include "entries/scratch_dir.h"
#include "optim/state_io.h"
#include "train/trainer_state.h"

namespace fg::fuzz {

void run_trainer_state(FuzzInput data) {
  try {
    const auto state = train::TrainerState::from_text(as_text(data), "trainer_state.json");
    const auto back = train::TrainerState::from_json(state.to_json(), "round trip");
    train::check_resume_compatible(state, back, "fuzz-checkpoint");
  } catch (const Error&) {
  }
  try {
    optim::load_optimizer_state(write_scratch_file("optimizer.safetensors", as_text(data)));
  } catch (const Error&) {
  }
}

}  // namespace fg::fuzz
