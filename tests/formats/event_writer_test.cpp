#include "formats/event_writer.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/event_proto.h"
#include "formats/file_io.h"
#include "formats/tfrecord.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;

std::string hex_bytes(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += fmt::format("{:02x}", c);
  return out;
}

std::string unhex(std::string hex) {
  std::erase(hex, ' ');
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// An independent reader: bit-at-a-time CRC-32C and its own framing loop, sharing no code with
// the library's table/SSE implementation or read_tfrecords.
uint32_t slow_crc32c(std::string_view s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

uint32_t slow_mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

std::vector<std::string> independent_read(const std::string& file) {
  std::vector<std::string> out;
  size_t pos = 0;
  auto le = [&](size_t at, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t(uint8_t(file.at(at + i))) << (8 * i);
    return v;
  };
  while (pos < file.size()) {
    uint64_t len = le(pos, 8);
    EXPECT_EQ(le(pos + 8, 4), slow_mask(slow_crc32c(file.substr(pos, 8)))) << "at " << pos;
    std::string payload = file.substr(pos + 12, len);
    EXPECT_EQ(le(pos + 12 + len, 4), slow_mask(slow_crc32c(payload))) << "at " << pos;
    out.push_back(payload);
    pos += 16 + len;
  }
  EXPECT_EQ(pos, file.size());
  return out;
}

// Runs `protoc --decode_raw` on one payload; nullopt if protoc is unavailable.
std::optional<std::string> decode_raw(const std::string& payload, const TempDir& dir) {
  if (std::system("command -v protoc >/dev/null 2>&1") != 0) return std::nullopt;
  std::filesystem::path in = dir / "payload.bin";
  write_file_atomic(in, payload);
  std::string cmd = "protoc --decode_raw < '" + in.string() + "' 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(::pclose(pipe), 0) << out;
  return out;
}

EventWriterOptions options(const std::filesystem::path& dir, const std::string& host,
                           int64_t max_buffer_bytes = 1 << 20) {
  EventWriterOptions o;
  o.log_dir = dir;
  o.hostname = host;
  o.max_buffer_bytes = max_buffer_bytes;
  return o;
}

TEST(EventProto, MatchesWorkedExampleBytes) {
  // shared/spec/formats.md §3.5, produced by a verified pure-Python encoder.
  std::string file_version;
  append_tfrecord(file_version, encode_file_version_event(1700000000.0));
  EXPECT_EQ(hex_bytes(file_version),
            hex_bytes(unhex("18 00 00 00 00 00 00 00  a3 7f 4b 22  09 00 00 00 40 fc 54 d9 41 1a "
                            "0d 62 72 61 69 6e 2e 45 76 65 6e 74 3a 32  ec ed 8f 9d")));
  std::string scalar;
  // The example event was stamped one second later (double 0x41d954fc40400000).
  append_tfrecord(scalar, encode_scalars_event(1700000001.0, 100, {{"train-loss", 2.5f}}));
  EXPECT_EQ(hex_bytes(scalar),
            hex_bytes(unhex("20 00 00 00 00 00 00 00  29 ed a9 50  09 00 00 40 40 fc 54 d9 41 10 "
                            "64 2a 13 0a 11 0a 0a 74 72 61 69 6e 2d 6c 6f 73 73 15 00 00 20 40  "
                            "fe dd b7 fa")));
}

TEST(EventProto, NegativeStepsUseTenByteVarints) {
  std::string e = encode_session_start_event(0.0, -1);
  // 09 <8 bytes> 10 ff ff ff ff ff ff ff ff ff 01 3a 02 08 01
  EXPECT_EQ(hex_bytes(e.substr(9)), "10ffffffffffffffffff013a020801");
}

TEST(EventWriter, WritesDecodableFileWithValidCrcs) {
  TempDir dir;
  std::filesystem::path path;
  {
    EventWriter writer(options(dir / "runs" / "log_1", "testhost"));
    path = writer.path();
    writer.add_scalar("train-loss", 2.5, 100, 1700000000.0);
    writer.add_scalars(150, {{"learning-rate", 3e-4}, {"grad-norm", 0.75}}, 1700000001.0);
    writer.add_text("experiment", "hello **world**", 0, 1700000002.0);
    writer.add_session_start(150, 1700000003.0);
    writer.close();
  }
  std::string name = path.filename().string();
  EXPECT_TRUE(
      std::regex_match(name, std::regex(R"(events\.out\.tfevents\.\d{10}\.testhost\.\d+\.0)")))
      << name;
  std::vector<std::string> records = independent_read(read_file_text(path));
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(read_tfrecords(path), records);

  auto decoded = decode_raw(records[1], dir);
  if (!decoded) GTEST_SKIP() << "protoc not installed";
  EXPECT_EQ(*decoded,
            "1: 0x41d954fc40000000\n2: 100\n5 {\n  1 {\n    1: \"train-loss\"\n"
            "    2: 0x40200000\n  }\n}\n");
  EXPECT_NE(decode_raw(records[0], dir)->find("3: \"brain.Event:2\""), std::string::npos);
  std::string two = *decode_raw(records[2], dir);
  EXPECT_NE(two.find("2: 150\n"), std::string::npos) << two;
  EXPECT_NE(two.find("1: \"learning-rate\""), std::string::npos) << two;
  EXPECT_NE(two.find("1: \"grad-norm\"\n    2: 0x3f400000"), std::string::npos) << two;
  EXPECT_EQ(*decode_raw(records[3], dir),
            "1: 0x41d954fc40800000\n5 {\n  1 {\n    1: \"experiment/text_summary\"\n"
            "    8 {\n      1: 7\n      2 {\n        2 {\n          1: 1\n        }\n      }\n"
            "      8: \"hello **world**\"\n    }\n    9 {\n      1 {\n        1: \"text\"\n"
            "      }\n    }\n  }\n}\n");
  EXPECT_EQ(*decode_raw(records[4], dir), "1: 0x41d954fc40c00000\n2: 150\n7 {\n  1: 1\n}\n");
}

TEST(EventWriter, SkipsNonFiniteScalarsAndCountsThem) {
  TempDir dir;
  EventWriter writer(options(dir.path(), "h"));
  writer.add_scalars(1, {{"a", std::nan("")}, {"b", 1.0}, {"c", 1e39}});  // 1e39 overflows f32
  writer.add_scalar("d", HUGE_VAL, 2);
  writer.close();
  EXPECT_EQ(writer.skipped_non_finite(), 3);
  EXPECT_EQ(read_tfrecords(writer.path()).size(), 2u);  // file_version + one event with "b"
  EXPECT_THROW(writer.add_scalar("e", 1.0, 3), IoError);
}

TEST(EventWriter, TwoWritersInOneDirectoryGetDistinctFiles) {
  TempDir dir;
  EventWriter a(options(dir.path(), "h"));
  EventWriter b(options(dir.path(), "h"));
  EXPECT_NE(a.path(), b.path());
  EXPECT_THROW(EventWriter(options(dir.path(), "a/b")), Error);
  EXPECT_THROW(EventWriter(EventWriterOptions{}), Error);
}

TEST(EventWriter, FlushMakesRecordsVisibleAndBufferAutoFlushes) {
  TempDir dir;
  EventWriter writer(options(dir.path(), "h", 200));
  size_t first = read_file_text(writer.path()).size();
  writer.add_scalar("x", 1.0, 1);
  EXPECT_EQ(read_file_text(writer.path()).size(), first);  // still buffered
  writer.flush();
  EXPECT_GT(read_file_text(writer.path()).size(), first);
  for (int i = 0; i < 20; ++i) writer.add_scalar("loss", i, i + 2);
  EXPECT_GE(read_tfrecords(writer.path()).size(), 10u);  // auto-flushed past 200 bytes
}

TEST(TFRecord, ReaderDetectsCorruptionAndToleratesPartialTail) {
  TempDir dir;
  std::string data;
  append_tfrecord(data, "first");
  append_tfrecord(data, "second record");
  write_file_atomic(dir / "ok", data);
  EXPECT_EQ(read_tfrecords(dir / "ok"), (std::vector<std::string>{"first", "second record"}));

  std::string flipped = data;
  flipped[14] ^= 0x01;  // inside the first payload
  write_file_atomic(dir / "bad", flipped);
  EXPECT_THROW(read_tfrecords(dir / "bad"), IoError);
  std::string bad_len = data;
  bad_len[0] ^= 0x01;
  write_file_atomic(dir / "badlen", bad_len);
  EXPECT_THROW(read_tfrecords(dir / "badlen"), IoError);

  for (size_t cut : {data.size() - 1, data.size() - 10, size_t{25}}) {
    write_file_atomic(dir / "cut", std::string_view(data).substr(0, cut));
    EXPECT_THROW(read_tfrecords(dir / "cut"), IoError);
    EXPECT_EQ(read_tfrecords(dir / "cut", true).size(), 1u);
  }
}

// A TensorBoard log directory that is a file, or under one: an IoError naming the path.
TEST(HostileEventWriter, LogDirThatIsAFile) {
  TempDir tmp;
  write_file_atomic(tmp / "runs", std::string_view("x"));
  try {
    EventWriter w(options(tmp / "runs", "host"));
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("[EventWriter] cannot create log directory '" +
                                         (tmp / "runs").string() + "': it exists and is a file"),
              std::string::npos)
        << e.what();
  }
}

TEST(HostileEventWriter, LogDirUnderProc) {
  try {
    EventWriter w(options("/proc/fg_runs/x", "host"));
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'/proc' does not allow creating entries"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::formats
