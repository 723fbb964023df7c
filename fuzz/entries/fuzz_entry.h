#pragma once
// One function per fuzz target. The libFuzzer executable and the regression test both call it,
// so a saved crash input replays through exactly the code the fuzzer ran.
//
// Bad input must end in an fg::Error, which these functions catch. Anything else (another
// exception, a crash, a sanitizer report) escapes and is a finding.
#include <cstdint>
#include <span>

namespace fg::fuzz {

using FuzzInput = std::span<const uint8_t>;

void run_jinja(FuzzInput data);
void run_yaml(FuzzInput data);
void run_safetensors(FuzzInput data);
void run_trainer_state(FuzzInput data);
void run_tokenizer(FuzzInput data);
void run_event_reader(FuzzInput data);

}  // namespace fg::fuzz
