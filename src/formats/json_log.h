#pragma once
// trainer_logs.json (spec-ml §5.9, formats.md §3.8): a JSON array that stays valid after every
// record. The file is always "[\n" + records joined by ",\n" + "\n]\n", one record per line;
// appending overwrites the closing "\n]\n" with ",\n<record>\n]\n" in a single pwrite, so after
// any completed append the file parses as JSON. A crash during that write can leave one torn
// last line: read_json_log() then falls back to parsing line by line and drops it. Python
// Forgather's logs (no closing bracket after a crash, bare NaN/Infinity) read the same way.
//
// Records: {"timestamp": <UTC epoch seconds>, "global_step", "epoch", <metrics...>} with metrics
// winning on key collisions. Non-finite numbers are written as null and listed in
// "non_finite": {"<key>": "NaN" | "Infinity" | "-Infinity"}; the reader restores them.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/file_io.h"

namespace fg::formats {

using JsonObject = nlohmann::ordered_json;

class JsonLogWriter {
 public:
  // A new log; throws fg::IoError if the file exists (as the original's mode "x").
  static JsonLogWriter create(const std::filesystem::path& path);
  // Continues an existing log (creating it if missing). Repairs a torn or unterminated file and,
  // when truncate_after_step is set, drops records with global_step greater than it (the steps
  // a resumed run will redo).
  static JsonLogWriter resume(const std::filesystem::path& path,
                              std::optional<int64_t> truncate_after_step = std::nullopt);

  JsonLogWriter(JsonLogWriter&&) noexcept = default;
  JsonLogWriter& operator=(JsonLogWriter&&) noexcept = default;

  // Appends {"timestamp": now, "global_step", "epoch", ...metrics}; metrics must be an object.
  void log(int64_t global_step, double epoch, const JsonObject& metrics);
  // Appends a record as given (non-finite numbers handled as described above).
  void append(const JsonObject& record);

  const std::filesystem::path& path() const { return path_; }
  int64_t records() const { return records_; }
  void set_sync_each_record(bool on) { sync_each_record_ = on; }

 private:
  JsonLogWriter(std::filesystem::path path, FileHandle file, int64_t records, int64_t end);

  std::filesystem::path path_;
  FileHandle file_;
  int64_t records_ = 0;
  int64_t end_ = 0;  // file size; the last 3 bytes are "\n]\n"
  bool sync_each_record_ = false;
};

struct JsonLogRecord {
  JsonObject fields;  // non-finite numbers restored as NaN/inf doubles; no "non_finite" key

  // A numeric field, or nullopt when absent or not a number.
  std::optional<double> number(const std::string& key) const;
  int64_t global_step() const;  // -1 if absent
};

// Reads a log written by JsonLogWriter or by Python Forgather. Throws fg::IoError naming the
// file and line for damage other than one torn final record.
std::vector<JsonLogRecord> read_json_log(const std::filesystem::path& path);

// The record as it is written: one line, non-finite numbers replaced (see above), invalid
// UTF-8 in strings replaced by U+FFFD.
std::string format_json_log_record(const JsonObject& record);

}  // namespace fg::formats
