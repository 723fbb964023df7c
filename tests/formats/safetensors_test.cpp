#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/file_io.h"
#include "formats/safetensors_file.h"
#include "formats/safetensors_index.h"
#include "formats/safetensors_writer.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;

std::vector<std::byte> bytes_of(const std::string& s) {
  std::vector<std::byte> out(s.size());
  std::memcpy(out.data(), s.data(), s.size());
  return out;
}

std::string text_of(const std::vector<std::byte>& b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

std::string le64(uint64_t n) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return out;
}

// 8-byte little-endian header length + header + data.
std::vector<std::byte> build(const std::string& header, const std::string& data) {
  return bytes_of(le64(header.size()) + header + data);
}

TEST(SafetensorsWriter, RoundTripsTensorsAndMetadata) {
  std::vector<float> w = {1.5f, -2.0f, 3.25f, 0.0f, 1e-8f, 7.0f};
  std::vector<int64_t> ids = {-1, 0, 1ll << 40};
  std::vector<uint16_t> half = {0x3C00, 0xC000};
  SafetensorsWriter writer;
  writer.add_f32("layer.weight", {2, 3}, w);
  writer.add_i64("ids", {3}, ids);
  writer.add("half", SafetensorsDtype::F16, {2}, std::as_bytes(std::span(half)));
  writer.add_f32("scalar", {}, std::span(w).subspan(0, 1));
  writer.add_f32("empty", {0, 4}, {});
  writer.set_metadata("step", "12");

  TempDir dir;
  writer.write(dir / "m.safetensors");
  EXPECT_EQ(read_file_bytes(dir / "m.safetensors"), writer.serialize());
  EXPECT_FALSE(std::filesystem::exists(dir / ("m.safetensors.tmp-" + std::to_string(getpid()))));
  for (auto load : {SafetensorsFile::Load::kMap, SafetensorsFile::Load::kRead}) {
    SafetensorsFile f = SafetensorsFile::open(dir / "m.safetensors", load);
    EXPECT_EQ(f.names(),
              (std::vector<std::string>{"empty", "half", "ids", "layer.weight", "scalar"}));
    EXPECT_EQ(f.read_f32("layer.weight"), w);
    EXPECT_EQ(f.at("layer.weight").shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(f.read_i64("ids"), ids);
    EXPECT_EQ(f.at("half").dtype, SafetensorsDtype::F16);
    EXPECT_EQ(f.at("scalar").shape.size(), 0u);
    EXPECT_EQ(f.read_f32("scalar"), std::vector<float>{1.5f});
    EXPECT_EQ(f.at("empty").numel(), 0);
    EXPECT_EQ(f.metadata().at("format"), "pt");
    EXPECT_EQ(f.metadata().at("step"), "12");
  }
}

TEST(SafetensorsWriter, LayoutMatchesReference) {
  // Sorted by dtype alignment descending (I64 before F32 before U8), then by name; header padded
  // with spaces so the data starts 8-aligned; "__metadata__" first.
  std::vector<float> a = {1.0f};
  std::vector<float> b = {2.0f};
  std::vector<int64_t> c = {3};
  std::vector<uint8_t> d = {4, 5};
  SafetensorsWriter writer;
  writer.add("d", SafetensorsDtype::U8, {2}, std::as_bytes(std::span(d)));
  writer.add_f32("b", {1}, b);
  writer.add_f32("a", {1}, a);
  writer.add_i64("c", {1}, c);
  EXPECT_EQ(writer.header_json(), R"({"__metadata__":{"format":"pt"},)"
                                  R"("c":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},)"
                                  R"("a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},)"
                                  R"("b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},)"
                                  R"("d":{"dtype":"U8","shape":[2],"data_offsets":[16,18]}})");
  std::vector<std::byte> bytes = writer.serialize();
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + n + 18);
  std::string header = text_of(bytes).substr(8, n);
  EXPECT_EQ(header.substr(0, writer.header_json().size()), writer.header_json());
  EXPECT_EQ(header.find_first_not_of(' ', writer.header_json().size()), std::string::npos);
}

TEST(SafetensorsWriter, MatchesReferenceSaveBytes) {
  // safetensors' Python test_serialization: save({"test": np.zeros((2, 2), np.int32)}) with the
  // data[1, 1] = 1 variant, in the padded layout of current releases (header 60 -> 64 bytes).
  std::vector<int32_t> data = {0, 0, 0, 1};
  SafetensorsWriter writer;
  writer.omit_default_format();
  writer.add("test", SafetensorsDtype::I32, {2, 2}, std::as_bytes(std::span(data)));
  std::string expected = std::string("@\0\0\0\0\0\0\0", 8) +
                         R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}    )" +
                         std::string("\0\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0", 16);
  EXPECT_EQ(text_of(writer.serialize()), expected);
}

TEST(SafetensorsWriter, RejectsBadArguments) {
  std::vector<float> v = {1, 2, 3};
  SafetensorsWriter writer;
  EXPECT_THROW(writer.add_f32("x", {2, 2}, v), Error);
  EXPECT_THROW(writer.add_f32("x", {-3}, v), Error);
  EXPECT_THROW(writer.add_f32("", {3}, v), Error);
  EXPECT_THROW(writer.add_f32("__metadata__", {3}, v), Error);
  writer.add_f32("x", {3}, v);
  EXPECT_THROW(writer.add_f32("x", {3}, v), Error);
  std::vector<uint8_t> one = {1};
  EXPECT_THROW(writer.add("f4", SafetensorsDtype::F4, {1}, std::as_bytes(std::span(one))), Error);
}

TEST(SafetensorsFile, ReadsPythonWrittenFile) {
  // Bytes as written by safetensors' reference save() before header padding was introduced
  // (header 60 bytes, unpadded), with data[1, 1] = 1.
  std::string raw = std::string("<\0\0\0\0\0\0\0", 8) +
                    R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}})" +
                    std::string("\0\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0", 16);
  SafetensorsFile f = SafetensorsFile::from_bytes(bytes_of(raw), "py.safetensors");
  const SafetensorsTensor& t = f.at("test");
  EXPECT_EQ(t.dtype, SafetensorsDtype::I32);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 2}));
  int32_t last = 0;
  std::memcpy(&last, t.bytes.data() + 12, 4);
  EXPECT_EQ(last, 1);
  EXPECT_TRUE(f.metadata().empty());
}

TEST(SafetensorsFile, ReadsTorchStyleFileWithPaddingAndOtherKeyOrder) {
  // transformers' save_pretrained writes {"format":"pt"}; the reader must not depend on key order
  // or on where the padding whitespace is.
  float vals[3] = {0.5f, -1.0f, 2.0f};
  uint16_t bf16[2] = {0x3F80, 0x4000};
  std::string data(reinterpret_cast<const char*>(vals), 12);
  data += std::string(reinterpret_cast<const char*>(bf16), 4);
  std::string header =
      R"(  {"model.b" : {"data_offsets":[12,16], "shape":[2], "dtype":"BF16"},
           "__metadata__":{"format":"pt"},
           "model.w":{"shape":[3],"dtype":"F32","data_offsets":[0,12]}}    )";
  SafetensorsFile f = SafetensorsFile::from_bytes(build(header, data), "torch.safetensors");
  EXPECT_EQ(f.read_f32("model.w"), (std::vector<float>{0.5f, -1.0f, 2.0f}));
  EXPECT_EQ(f.at("model.b").dtype, SafetensorsDtype::BF16);
  EXPECT_EQ(f.at("model.b").begin, 12);
  EXPECT_EQ(f.metadata().at("format"), "pt");
}

TEST(SafetensorsFile, UnknownNameSuggestsNearOnes) {
  SafetensorsWriter writer;
  std::vector<float> v = {1};
  writer.add_f32("layer.0.weight", {1}, v);
  SafetensorsFile f = SafetensorsFile::from_bytes(writer.serialize(), "m.safetensors");
  try {
    f.at("layer.0.weigth");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("m.safetensors"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean 'layer.0.weight'"), std::string::npos) << msg;
  }
  EXPECT_THROW(f.read_i64("layer.0.weight"), IoError);
}

}  // namespace
}  // namespace fg::formats

namespace fg::formats {
namespace {

TEST(SafetensorsIndex, RoundTripsAndRejectsPathsOutsideTheDirectory) {
  testing::TempDir dir;
  SafetensorsIndex index;
  index.total_size = 1234;
  index.weight_map["a.weight"] = "model-00001-of-00002.safetensors";
  index.weight_map["b.bias"] = "model-00002-of-00002.safetensors";
  write_safetensors_index(dir / "model.safetensors.index.json", index);
  SafetensorsIndex back = read_safetensors_index(dir / "model.safetensors.index.json");
  EXPECT_EQ(back.total_size, 1234);
  EXPECT_EQ(back.weight_map, index.weight_map);

  write_file_atomic(dir / "bad.json", R"({"weight_map": {"a": "../../etc/passwd"}})");
  EXPECT_THROW(read_safetensors_index(dir / "bad.json"), IoError);
  write_file_atomic(dir / "bad2.json", R"({"weight_map": [1]})");
  EXPECT_THROW(read_safetensors_index(dir / "bad2.json"), IoError);
  write_file_atomic(dir / "bad3.json", "{");
  EXPECT_THROW(read_safetensors_index(dir / "bad3.json"), IoError);
}

}  // namespace
}  // namespace fg::formats
