#include "formats/event_reader.h"

#include <cstring>

#include <fmt/format.h>

#include "formats/proto_reader.h"
#include "formats/tfrecord.h"

namespace fg::formats {
namespace {

constexpr int64_t kDtFloat = 1, kDtString = 7;

struct TensorValue {
  int64_t dtype = 0;
  std::vector<float> floats;
  std::vector<std::string> strings;
};

TensorValue parse_tensor(std::string_view data, const std::string& ctx) {
  TensorValue t;
  ProtoReader r(data, ctx);
  while (r.next()) {
    if (r.field() == 1 && r.wire_type() == 0) {
      t.dtype = static_cast<int64_t>(r.varint());
    } else if (r.field() == 5 && r.wire_type() == 5) {
      t.floats.push_back(r.fixed32_as_float());
    } else if (r.field() == 5 && r.wire_type() == 2) {  // packed float_val
      std::string_view packed = r.bytes();
      for (size_t i = 0; i + 4 <= packed.size(); i += 4) {
        float v;
        std::memcpy(&v, packed.data() + i, 4);
        t.floats.push_back(v);
      }
    } else if (r.field() == 8 && r.wire_type() == 2) {
      t.strings.emplace_back(r.bytes());
    } else {
      r.skip();
    }
  }
  return t;
}

void parse_value(std::string_view data, const std::string& ctx, Event& event) {
  ProtoReader r(data, ctx);
  std::string tag;
  std::optional<float> simple;
  std::optional<TensorValue> tensor;
  while (r.next()) {
    if (r.field() == 1 && r.wire_type() == 2) {
      tag = std::string(r.bytes());
    } else if (r.field() == 2 && r.wire_type() == 5) {
      simple = r.fixed32_as_float();
    } else if (r.field() == 8 && r.wire_type() == 2) {
      tensor = parse_tensor(r.bytes(), ctx);
    } else {
      r.skip();
    }
  }
  if (simple) {
    event.scalars.push_back({tag, *simple});
  } else if (tensor && tensor->dtype == kDtFloat && tensor->floats.size() == 1) {
    event.scalars.push_back({tag, tensor->floats[0]});
  } else if (tensor && tensor->dtype == kDtString && !tensor->strings.empty()) {
    event.texts.push_back({tag, tensor->strings[0]});
  }
}

}  // namespace

Event parse_event(std::string_view data, const std::string& ctx) {
  Event event;
  ProtoReader r(data, ctx);
  while (r.next()) {
    if (r.field() == 1 && r.wire_type() == 1) {
      event.wall_time = r.fixed64_as_double();
    } else if (r.field() == 2 && r.wire_type() == 0) {
      event.step = static_cast<int64_t>(r.varint());
    } else if (r.field() == 3 && r.wire_type() == 2) {
      event.file_version = std::string(r.bytes());
    } else if (r.field() == 5 && r.wire_type() == 2) {
      ProtoReader summary(r.bytes(), ctx);
      while (summary.next()) {
        if (summary.field() == 1 && summary.wire_type() == 2) {
          parse_value(summary.bytes(), ctx, event);
        } else {
          summary.skip();
        }
      }
    } else if (r.field() == 7 && r.wire_type() == 2) {
      ProtoReader session(r.bytes(), ctx);
      event.session_status = 0;
      while (session.next()) {
        if (session.field() == 1 && session.wire_type() == 0) {
          event.session_status = static_cast<int64_t>(session.varint());
        } else {
          session.skip();
        }
      }
    } else {
      r.skip();
    }
  }
  return event;
}

std::vector<Event> read_events(const std::filesystem::path& path) {
  std::vector<std::string> records = read_tfrecords(path, /*allow_partial_tail=*/true);
  std::vector<Event> events;
  events.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    events.push_back(parse_event(records[i], fmt::format("'{}' record {}", path.string(), i)));
  }
  return events;
}

std::vector<std::pair<int64_t, float>> scalar_series(const std::vector<Event>& events,
                                                     const std::string& tag) {
  std::vector<std::pair<int64_t, float>> out;
  for (const Event& e : events) {
    for (const EventScalar& s : e.scalars) {
      if (s.tag == tag) out.emplace_back(e.step, s.value);
    }
  }
  return out;
}

}  // namespace fg::formats
