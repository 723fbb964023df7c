#pragma once
// Reads TensorBoard event files back (what EventWriter and torch's SummaryWriter write): for
// tests, `forgather compare` and checking a run's logs without TensorBoard.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fg::formats {

struct EventScalar {
  std::string tag;
  float value = 0;
};

struct EventText {
  std::string tag;  // as stored, e.g. "experiment/text_summary"
  std::string text;
};

struct Event {
  double wall_time = 0;
  int64_t step = 0;
  std::string file_version;               // set on the first record
  std::vector<EventScalar> scalars;       // simple_value or a scalar DT_FLOAT tensor
  std::vector<EventText> texts;           // DT_STRING tensors (text plugin)
  std::optional<int64_t> session_status;  // SessionLog status (1 = START)
};

// Every event in the file; CRCs are verified (read_tfrecords) and a torn final record of a live
// file is ignored. Malformed protobufs throw fg::IoError naming the file and record.
std::vector<Event> read_events(const std::filesystem::path& path);

// Decodes one serialized tensorboard.Event; `context` names it in errors.
Event parse_event(std::string_view payload, const std::string& context);

// (step, value) of one scalar tag, in file order.
std::vector<std::pair<int64_t, float>> scalar_series(const std::vector<Event>& events,
                                                     const std::string& tag);

}  // namespace fg::formats
