#pragma once
// Hand-encoded tensorboard.Event protobufs (shared/spec/formats.md §3.3-3.4).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fg::formats {

// Event{wall_time, file_version="brain.Event:2"}: the first record of every event file.
std::string encode_file_version_event(double wall_time);
// Event{wall_time, step, summary{value{tag, simple_value}...}}; several values share one step.
std::string encode_scalars_event(double wall_time, int64_t step,
                                 const std::vector<std::pair<std::string, float>>& values);
// Text plugin summary: tag as given (callers add "/text_summary"), DT_STRING tensor of shape [1].
std::string encode_text_event(double wall_time, int64_t step, const std::string& tag,
                              const std::string& text);
// Event{step, session_log{status=START}}: after a resume at `step`, TensorBoard discards the
// crashed run's events with larger steps.
std::string encode_session_start_event(double wall_time, int64_t step);

}  // namespace fg::formats
