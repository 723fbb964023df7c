#include "formats/event_proto.h"

#include "formats/proto_writer.h"

namespace fg::formats {
namespace {

// Event field numbers.
constexpr int kWallTime = 1, kStep = 2, kFileVersion = 3, kSummary = 5, kSessionLog = 7;
// Summary.Value field numbers.
constexpr int kTag = 1, kSimpleValue = 2, kTensor = 8, kMetadata = 9;
constexpr int kDtString = 7;
constexpr int kSessionStart = 1;

ProtoWriter event_header(double wall_time, int64_t step) {
  ProtoWriter event;
  event.double_field(kWallTime, wall_time);
  if (step != 0) event.int64_field(kStep, step);  // proto3 omits defaults
  return event;
}

}  // namespace

std::string encode_file_version_event(double wall_time) {
  ProtoWriter event = event_header(wall_time, 0);
  event.bytes_field(kFileVersion, "brain.Event:2");
  return event.bytes();
}

std::string encode_scalars_event(double wall_time, int64_t step,
                                 const std::vector<std::pair<std::string, float>>& values) {
  ProtoWriter summary;
  for (const auto& [tag, v] : values) {
    ProtoWriter value;
    value.bytes_field(kTag, tag);
    value.float_field(kSimpleValue, v);
    summary.message_field(1, value);
  }
  ProtoWriter event = event_header(wall_time, step);
  event.message_field(kSummary, summary);
  return event.bytes();
}

std::string encode_text_event(double wall_time, int64_t step, const std::string& tag,
                              const std::string& text) {
  ProtoWriter plugin_data;  // PluginData{plugin_name="text"}; TextPluginData{} encodes empty
  plugin_data.bytes_field(1, "text");
  ProtoWriter metadata;
  metadata.message_field(1, plugin_data);
  ProtoWriter dim;
  dim.int64_field(1, 1);
  ProtoWriter shape;
  shape.message_field(2, dim);
  ProtoWriter tensor;  // TensorProto{dtype=DT_STRING, tensor_shape{dim{size=1}}, string_val}
  tensor.varint_field(1, kDtString);
  tensor.message_field(2, shape);
  tensor.bytes_field(8, text);
  ProtoWriter value;
  value.bytes_field(kTag, tag);
  value.message_field(kTensor, tensor);  // field-number order, as protobuf serialisers emit
  value.message_field(kMetadata, metadata);
  ProtoWriter summary;
  summary.message_field(1, value);
  ProtoWriter event = event_header(wall_time, step);
  event.message_field(kSummary, summary);
  return event.bytes();
}

std::string encode_session_start_event(double wall_time, int64_t step) {
  ProtoWriter session_log;
  session_log.varint_field(1, kSessionStart);
  ProtoWriter event = event_header(wall_time, step);
  event.message_field(kSessionLog, session_log);
  return event.bytes();
}

}  // namespace fg::formats
