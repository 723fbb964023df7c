#pragma once
// TFRecord framing (shared/spec/formats.md §3.2):
//   u64 length | u32 masked_crc32c(length bytes) | data[length] | u32 masked_crc32c(data)
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fg::formats {

// Appends one framed record holding `payload` to `out`.
void append_tfrecord(std::string& out, std::string_view payload);

// Reads every record of a TFRecord file, checking both CRCs of each. A short final record is
// accepted (and dropped) when allow_partial_tail is set (a live file being written); any other
// damage throws fg::IoError naming the file and the record's byte offset.
std::vector<std::string> read_tfrecords(const std::filesystem::path& path,
                                        bool allow_partial_tail = false);

}  // namespace fg::formats
