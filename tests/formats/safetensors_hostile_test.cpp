// Corrupt and hostile safetensors inputs (shared/spec/formats.md §2.2 and the reference's
// attacks/README.md): each must give an fg::IoError naming the file and the problem.
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/safetensors_file.h"
#include "formats/safetensors_writer.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

std::string le64(uint64_t n) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return out;
}

std::vector<std::byte> raw(const std::string& s) {
  std::vector<std::byte> out(s.size());
  std::memcpy(out.data(), s.data(), s.size());
  return out;
}

std::vector<std::byte> build(const std::string& header, const std::string& data) {
  return raw(le64(header.size()) + header + data);
}

struct HostileCase {
  const char* name;
  std::vector<std::byte> bytes;
  const char* expected;  // a substring of the error message
};

std::string f32_entry(const std::string& name, const std::string& shape, int64_t b, int64_t e) {
  return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" +
         std::to_string(b) + "," + std::to_string(e) + "]}";
}

std::vector<HostileCase> hostile_cases() {
  const std::string z8(8, '\0');
  const std::string z16(16, '\0');
  return {
      {"empty file", {}, "too small"},
      {"seven bytes", raw("\x01\0\0\0\0\0\0"), "too small"},
      {"huge header length", raw(le64(200'000'000) + "{}"), "exceeds the limit"},
      {"header length past end", raw(le64(64) + "{}"), "extends beyond the file"},
      {"header length u64 max", raw(le64(~0ull) + "{}"), "exceeds the limit"},
      {"header not json", build("not json at all", ""), "not valid JSON"},
      {"header truncated json", build("{\"a\":{\"dtype\":", ""), "not valid JSON"},
      {"header is an array", build("[1,2]", ""), "must be a JSON object"},
      {"invalid utf8", build("{\"\xff\xfe\":{}}", ""), "not valid JSON"},
      {"nul in header", build(std::string("{\"a\"\0:1}", 8), ""), "not valid JSON"},
      {"deeply nested", build(std::string(100000, '[') + std::string(100000, ']'), ""),
       "must be a JSON object"},
      {"unknown dtype", build(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", z8),
       "unknown dtype \"F33\""},
      {"dtype not string", build(R"({"a":{"dtype":7,"shape":[2],"data_offsets":[0,8]}})", z8),
       "unknown dtype 7"},
      {"negative dim", build("{" + f32_entry("a", "[-2]", 0, 8) + "}", z8),
       "non-negative integer, found -2"},
      {"fractional dim", build("{" + f32_entry("a", "[2.5]", 0, 10) + "}", std::string(10, 'x')),
       "non-negative integer, found 2.5"},
      {"dim beyond int64", build("{" + f32_entry("a", "[18446744073709551615]", 0, 8) + "}", z8),
       "too large"},
      {"shape overflow",
       build("{" + f32_entry("a", "[4611686018427387904,4611686018427387904]", 0, 8) + "}", z8),
       "overflows"},
      {"shape size mismatch", build("{" + f32_entry("a", "[3]", 0, 8) + "}", z8),
       "need 12 bytes but data_offsets span 8"},
      {"offset past buffer", build("{" + f32_entry("a", "[4]", 0, 16) + "}", z8),
       "cover 16 bytes of a 8-byte data buffer"},
      {"overlapping tensors",
       build("{" + f32_entry("a", "[2]", 0, 8) + "," + f32_entry("b", "[2]", 0, 8) + "}", z8),
       "overlap"},
      {"hole between tensors",
       build("{" + f32_entry("a", "[1]", 0, 4) + "," + f32_entry("b", "[2]", 8, 16) + "}", z16),
       "hole"},
      {"end before begin", build("{" + f32_entry("a", "[0]", 8, 0) + "}", z8), "before begin"},
      {"trailing bytes not covered", build("{" + f32_entry("a", "[2]", 0, 8) + "}", z16),
       "cover 8 bytes of a 16-byte data buffer"},
      {"truncated data", build("{" + f32_entry("a", "[4]", 0, 16) + "}", z8), "cover 16 bytes"},
      {"duplicate tensor name",
       build("{" + f32_entry("a", "[2]", 0, 8) + "," + f32_entry("a", "[2]", 8, 16) + "}", z16),
       "duplicate key 'a'"},
      {"duplicate field",
       build(R"({"a":{"dtype":"F32","dtype":"I32","shape":[2],"data_offsets":[0,8]}})", z8),
       "duplicate key 'dtype'"},
      {"metadata not strings", build(R"({"__metadata__":{"format":1}})", ""),
       "value for 'format' must be a string"},
      {"metadata not object", build(R"({"__metadata__":"pt"})", ""), "__metadata__ must be"},
      {"missing data_offsets", build(R"({"a":{"dtype":"F32","shape":[2]}})", z8),
       "lacks 'data_offsets'"},
      {"three offsets", build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}})", z8),
       "must be [begin, end]"},
      {"shape not array", build(R"({"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}})", z8),
       "shape must be an array"},
      {"entry not object", build(R"({"a":[1,2,3]})", ""), "must be an object"},
      {"unexpected field",
       build(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"strides":[1]}})", z8),
       "unexpected field 'strides'"},
      {"huge offsets",
       build("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[9223372036854775807,"
             "9223372036854775808]}}",
             ""),
       "too large"},
      {"misaligned F4", build(R"({"a":{"dtype":"F4","shape":[3],"data_offsets":[0,1]}})", "x"),
       "not a whole number of bytes"},
  };
}

TEST(SafetensorsHostile, EveryCaseIsRejectedWithAClearError) {
  std::vector<HostileCase> cases = hostile_cases();
  ASSERT_GE(cases.size(), 15u);
  for (HostileCase& c : cases) {
    SCOPED_TRACE(c.name);
    try {
      SafetensorsFile::from_bytes(std::move(c.bytes), "hostile.safetensors");
      ADD_FAILURE() << "accepted: " << c.name;
    } catch (const IoError& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind("[safetensors] 'hostile.safetensors': ", 0), 0u) << msg;
      EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    }
  }
}

TEST(SafetensorsHostile, MappedFilesAreRejectedToo) {
  testing::TempDir dir;
  for (const HostileCase& c : hostile_cases()) {
    SCOPED_TRACE(c.name);
    std::filesystem::path p = dir / "bad.safetensors";
    {
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(c.bytes.data()),
                static_cast<std::streamsize>(c.bytes.size()));
    }
    try {
      SafetensorsFile::open(p);
      ADD_FAILURE() << "accepted: " << c.name;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(SafetensorsFile::open(dir / "missing.safetensors"), IoError);
  EXPECT_THROW(SafetensorsFile::open(dir.path()), IoError);
}

TEST(SafetensorsHostile, ZeroSizeAndScalarTensorsAreLegal) {
  std::string header = "{" + f32_entry("e", "[0,5]", 0, 0) + "," + f32_entry("s", "[]", 0, 4) +
                       "," + f32_entry("z", "[3,0]", 4, 4) + "}";
  SafetensorsFile f = SafetensorsFile::from_bytes(build(header, std::string(4, '\0')), "ok");
  EXPECT_EQ(f.at("s").numel(), 1);
  EXPECT_EQ(f.at("e").numel(), 0);
  EXPECT_EQ(f.at("z").bytes.size(), 0u);
  // An empty header object with no data is a valid (empty) file.
  EXPECT_TRUE(SafetensorsFile::from_bytes(build("{}", ""), "empty").tensors().empty());
  EXPECT_TRUE(SafetensorsFile::from_bytes(build("  {}  ", ""), "ws").tensors().empty());
  EXPECT_TRUE(SafetensorsFile::from_bytes(build(R"({"__metadata__":null})", ""), "null")
                  .metadata()
                  .empty());
}

TEST(SafetensorsHostile, RandomMutationsParseOrThrowButNeverCrash) {
  // A small mutation loop in the spirit of a fuzzer (run under the asan preset): flip bytes,
  // overwrite header digits, truncate or extend; each result must parse with every tensor span
  // inside the buffer, or throw IoError.
  std::vector<float> w = {1, 2, 3, 4, 5, 6};
  std::vector<int64_t> ids = {7, 8};
  SafetensorsWriter writer;
  writer.add_f32("w", {2, 3}, w);
  writer.add_i64("ids", {2}, ids);
  writer.add_f32("s", {}, std::span(w).subspan(0, 1));
  const std::vector<std::byte> good = writer.serialize();
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int parsed = 0, rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<std::byte> b = good;
    int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = next() % b.size();
      switch (next() % 4) {
        case 0:
          b[at] ^= static_cast<std::byte>(1u << (next() % 8));
          break;
        case 1:
          b[at] = static_cast<std::byte>("0123456789,[]{}\"-"[next() % 17]);
          break;
        case 2:
          b.resize(at);
          break;
        default:
          b.insert(b.begin() + static_cast<long>(at), static_cast<std::byte>(next()));
      }
      if (b.empty()) break;
    }
    const size_t size = b.size();
    try {
      SafetensorsFile f = SafetensorsFile::from_bytes(std::move(b), "mutant");
      for (const auto& [name, t] : f.tensors()) {
        ASSERT_LE(static_cast<size_t>(t.end), size);
        ASSERT_EQ(t.bytes.size(), static_cast<size_t>(t.end - t.begin));
      }
      ++parsed;
    } catch (const IoError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 1000);
  EXPECT_GT(parsed, 0);  // data-only flips stay valid
}

}  // namespace
}  // namespace fg::formats
