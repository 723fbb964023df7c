#include "formats/event_reader.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/event_writer.h"
#include "formats/file_io.h"
#include "formats/proto_reader.h"
#include "formats/proto_writer.h"
#include "formats/tfrecord.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;

TEST(EventReader, ReadsBackWhatEventWriterWrote) {
  TempDir dir;
  EventWriterOptions o;
  o.log_dir = dir.path();
  o.hostname = "h";
  EventWriter w(o);
  w.add_scalars(50, {{"train-loss", 7.5}, {"learning-rate", 1.5e-4}}, 1.0);
  w.add_scalar("train-loss", 6.25, 100, 2.0);
  w.add_text("experiment", "# run\nhello", 0, 3.0);
  w.add_session_start(100, 4.0);
  w.add_scalar("step-minus", 1.0, -5, 5.0);
  w.close();

  std::vector<Event> events = read_events(w.path());
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_EQ(events[1].step, 50);
  EXPECT_EQ(events[1].wall_time, 1.0);
  ASSERT_EQ(events[1].scalars.size(), 2u);
  EXPECT_EQ(events[1].scalars[1].tag, "learning-rate");
  EXPECT_EQ(events[1].scalars[1].value, 1.5e-4f);
  EXPECT_EQ(scalar_series(events, "train-loss"),
            (std::vector<std::pair<int64_t, float>>{{50, 7.5f}, {100, 6.25f}}));
  ASSERT_EQ(events[3].texts.size(), 1u);
  EXPECT_EQ(events[3].texts[0].tag, "experiment/text_summary");
  EXPECT_EQ(events[3].texts[0].text, "# run\nhello");
  EXPECT_EQ(events[4].session_status, 1);
  EXPECT_EQ(events[5].step, -5);
}

TEST(EventReader, ReadsNewStyleTensorScalars) {
  // add_scalar(new_style=True): value{tag, tensor{dtype=DT_FLOAT, tensor_shape{}, float_val=[v]}
  // (packed), metadata{plugin_data{plugin_name="scalars"}, data_class=1}}.
  ProtoWriter plugin;
  plugin.bytes_field(1, "scalars");
  ProtoWriter meta;
  meta.message_field(1, plugin);
  meta.varint_field(4, 1);
  ProtoWriter tensor;
  tensor.varint_field(1, 1);
  tensor.message_field(2, ProtoWriter{});
  float v = 0.125f;
  tensor.bytes_field(5, std::string_view(reinterpret_cast<const char*>(&v), 4));
  ProtoWriter value;
  value.bytes_field(1, "eval-loss");
  value.message_field(8, tensor);
  value.message_field(9, meta);
  ProtoWriter summary;
  summary.message_field(1, value);
  ProtoWriter event;
  event.double_field(1, 10.0);
  event.int64_field(2, 200);
  event.message_field(5, summary);
  std::string file;
  append_tfrecord(file, event.bytes());
  TempDir dir;
  write_file_atomic(dir / "events.out.tfevents.1.h", file);
  EXPECT_EQ(scalar_series(read_events(dir / "events.out.tfevents.1.h"), "eval-loss"),
            (std::vector<std::pair<int64_t, float>>{{200, 0.125f}}));
}

TEST(EventReader, MalformedProtobufIsAnError) {
  for (std::string bad : {std::string("\x0a\x05"
                                      "ab",
                                      4),                                    // length past the end
                          std::string("\x10\xff\xff", 3),                    // truncated varint
                          std::string("\x09\x00\x00", 3),                    // truncated fixed64
                          std::string("\x0b\x00", 2),                        // wire type 3 (groups)
                          std::string("\x10") + std::string(11, '\xff')}) {  // varint too long
    ProtoReader r(bad, "test");
    EXPECT_THROW(
        {
          while (r.next()) r.skip();
        },
        IoError)
        << bad.size();
  }
  TempDir dir;
  std::string file;
  append_tfrecord(file, std::string("\x2a\x10\x0a", 3));  // summary claims 16 bytes
  write_file_atomic(dir / "ev", file);
  EXPECT_THROW(read_events(dir / "ev"), IoError);
}

TEST(EventReader, MutatedPayloadsWithValidCrcsParseOrThrow) {
  // CRCs are recomputed after mutating, so the protobuf reader itself faces the damage.
  TempDir dir;
  EventWriterOptions o;
  o.log_dir = dir.path();
  o.hostname = "h";
  std::filesystem::path path;
  {
    EventWriter w(o);
    w.add_scalars(7, {{"train-loss", 2.5}, {"grad-norm", 0.5}}, 1.0);
    w.add_text("experiment", "some text", 0, 2.0);
    w.add_session_start(3, 3.0);
    w.close();
    path = w.path();
  }
  std::vector<std::string> records = read_tfrecords(path);
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  int rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string payload = records[1 + next() % (records.size() - 1)];
    for (int e = 0; e < 2; ++e) {
      size_t at = next() % payload.size();
      if (next() % 3 == 0) {
        payload.resize(at);
      } else {
        payload[at] = static_cast<char>(next());
      }
      if (payload.empty()) break;
    }
    try {
      parse_event(payload, "mutant");
    } catch (const IoError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 100);
}

}  // namespace
}  // namespace fg::formats
