#include "formats/tfrecord.h"

#include <cstring>

#include <fmt/format.h>

#include "core/error.h"
#include "formats/crc32c.h"
#include "formats/file_io.h"

namespace fg::formats {
namespace {

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t get_le(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(s[at + i])) << (8 * i);
  return v;
}

}  // namespace

void append_tfrecord(std::string& out, std::string_view payload) {
  std::string len;
  put_le(len, payload.size(), 8);
  out += len;
  put_le(out, mask_crc(crc32c(len)), 4);
  out.append(payload);
  put_le(out, mask_crc(crc32c(payload)), 4);
}

std::vector<std::string> read_tfrecords(const std::filesystem::path& path,
                                        bool allow_partial_tail) {
  std::string data = read_file_text(path);
  std::vector<std::string> records;
  size_t pos = 0;
  auto fail = [&](const std::string& problem) {
    return IoError(
        fmt::format("[tfrecord] '{}': record at byte {}: {}", path.string(), pos, problem));
  };
  while (pos < data.size()) {
    size_t left = data.size() - pos;
    if (left < 12) {
      if (allow_partial_tail) break;
      throw fail(fmt::format("truncated header ({} bytes left)", left));
    }
    uint64_t len = get_le(data, pos, 8);
    if (mask_crc(crc32c(std::string_view(data).substr(pos, 8))) != get_le(data, pos + 8, 4)) {
      throw fail("length CRC mismatch");
    }
    if (len > left - 12 || left - 12 - len < 4) {
      if (allow_partial_tail) break;
      throw fail(fmt::format("truncated data (length {}, {} bytes left)", len, left));
    }
    std::string_view payload = std::string_view(data).substr(pos + 12, len);
    if (mask_crc(crc32c(payload)) != get_le(data, pos + 12 + len, 4)) {
      throw fail("data CRC mismatch");
    }
    records.emplace_back(payload);
    pos += 12 + len + 4;
  }
  return records;
}

}  // namespace fg::formats
