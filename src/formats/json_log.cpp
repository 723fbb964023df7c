#include "formats/json_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "core/checked_fs.h"
#include "core/error.h"
#include "core/strings.h"
#include "formats/event_writer.h"

namespace fg::formats {
namespace {

constexpr std::string_view kEmptyLog = "[\n\n]\n";
constexpr std::string_view kSentinel = "__fg_non_finite__:";  // JSON strings forbid control bytes

std::string non_finite_name(double v) {
  if (std::isnan(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

std::optional<double> non_finite_value(std::string_view name) {
  if (name == "NaN") return std::nan("");
  if (name == "Infinity") return HUGE_VAL;
  if (name == "-Infinity") return -HUGE_VAL;
  return std::nullopt;
}

// Replaces Python's bare NaN/Infinity/-Infinity tokens (outside strings) with sentinel strings
// that restore_non_finite() turns back into numbers.
std::string quote_bare_non_finite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size())
        out.push_back(text[++i]);
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    bool replaced = false;
    for (std::string_view token : {"-Infinity", "Infinity", "NaN"}) {
      if (text.substr(i, token.size()) == token) {
        out += "\"" + std::string(kSentinel) + std::string(token) + "\"";
        i += token.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(c);
  }
  return out;
}

JsonLogRecord restore_non_finite(JsonObject fields) {
  for (auto& [key, value] : fields.items()) {
    if (value.is_string()) {
      std::string_view s = value.get_ref<const std::string&>();
      if (starts_with(s, kSentinel)) {
        if (auto v = non_finite_value(s.substr(kSentinel.size()))) value = *v;
      }
    }
  }
  if (fields.contains("non_finite") && fields["non_finite"].is_object()) {
    for (const auto& [key, name] : fields["non_finite"].items()) {
      auto v = name.is_string() ? non_finite_value(name.get<std::string>()) : std::nullopt;
      if (v && fields.contains(key) && fields[key].is_null()) fields[key] = *v;
    }
    fields.erase("non_finite");
  }
  return JsonLogRecord{std::move(fields)};
}

// One record per line; tolerates a missing "]" and one torn final line.
std::vector<JsonLogRecord> read_lines(const std::string& text, const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::string_view s = trim(line);
    while (!s.empty() && (s.front() == '[' || s.front() == ',' || std::isspace(s.front()))) {
      s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ']' || s.back() == ',' || std::isspace(s.back()))) {
      s.remove_suffix(1);
    }
    lines.emplace_back(s);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::vector<JsonLogRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    JsonObject j = JsonObject::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      if (i + 1 == lines.size()) break;  // torn final record
      throw IoError(
          fmt::format("[JsonLog] '{}': line {} is not a JSON object record", path.string(), i + 1));
    }
    records.push_back(restore_non_finite(std::move(j)));
  }
  return records;
}

void pwrite_all(const FileHandle& f, std::string_view bytes, int64_t offset) {
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(f.fd(), bytes.data(), bytes.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(
          fmt::format("[JsonLog] write to '{}' failed: {}", f.path().string(), errno_text(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
}

}  // namespace

std::string format_json_log_record(const JsonObject& record) {
  if (!record.is_object()) throw Error("[JsonLog] a record must be a JSON object");
  JsonObject out = record;
  JsonObject non_finite = JsonObject::object();
  for (auto& [key, value] : out.items()) {
    if (value.is_number_float() && !std::isfinite(value.get<double>())) {
      non_finite[key] = non_finite_name(value.get<double>());
      value = nullptr;
    }
  }
  if (!non_finite.empty()) out["non_finite"] = non_finite;
  // Text such as a generated sample may hold invalid UTF-8 (a byte-level model can stop inside
  // a multi-byte character); it is written with U+FFFD in place rather than failing the run.
  return out.dump(-1, ' ', false, JsonObject::error_handler_t::replace);
}

JsonLogWriter::JsonLogWriter(std::filesystem::path path, FileHandle file, int64_t records,
                             int64_t end)
    : path_(std::move(path)), file_(std::move(file)), records_(records), end_(end) {}

JsonLogWriter JsonLogWriter::create(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw IoError(fmt::format("[JsonLog] cannot create '{}': {}{}", path.string(),
                              errno_text(errno),
                              errno == EEXIST ? " (use resume to append to an existing log)" : ""));
  }
  FileHandle f(fd, path);
  f.write_all(kEmptyLog);
  return JsonLogWriter(path, std::move(f), 0, static_cast<int64_t>(kEmptyLog.size()));
}

JsonLogWriter JsonLogWriter::resume(const std::filesystem::path& path,
                                    std::optional<int64_t> truncate_after_step) {
  std::vector<JsonLogRecord> kept;
  if (exists_checked(path, "JsonLog")) {
    for (JsonLogRecord& r : read_json_log(path)) {
      if (truncate_after_step && r.global_step() > *truncate_after_step) continue;
      kept.push_back(std::move(r));
    }
  }
  // Rewrite canonically (repairs a torn tail or a missing bracket), then append in place.
  std::string text = "[\n";
  for (size_t i = 0; i < kept.size(); ++i) {
    text += (i ? ",\n" : "") + format_json_log_record(kept[i].fields);
  }
  text += "\n]\n";
  write_file_atomic(path, text);
  FileHandle f = FileHandle::open(path, O_RDWR);
  return JsonLogWriter(path, std::move(f), static_cast<int64_t>(kept.size()),
                       static_cast<int64_t>(text.size()));
}

void JsonLogWriter::log(int64_t global_step, double epoch, const JsonObject& metrics) {
  if (!metrics.is_object()) throw Error("[JsonLog] metrics must be a JSON object");
  JsonObject record = {
      {"timestamp", unix_time_now()}, {"global_step", global_step}, {"epoch", epoch}};
  for (const auto& [key, value] : metrics.items()) record[key] = value;
  append(record);
}

void JsonLogWriter::append(const JsonObject& record) {
  if (!file_.is_open()) throw IoError(fmt::format("[JsonLog] '{}' is closed", path_.string()));
  std::string chunk = (records_ > 0 ? ",\n" : "") + format_json_log_record(record) + "\n]\n";
  int64_t at = end_ - 3;  // overwrite the closing "\n]\n"
  pwrite_all(file_, chunk, at);
  end_ = at + static_cast<int64_t>(chunk.size());
  ++records_;
  if (sync_each_record_) file_.sync();
}

std::optional<double> JsonLogRecord::number(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

int64_t JsonLogRecord::global_step() const {
  auto it = fields.find("global_step");
  if (it == fields.end() || !it->is_number_integer()) return -1;
  return it->get<int64_t>();
}

std::vector<JsonLogRecord> read_json_log(const std::filesystem::path& path) {
  std::string text = quote_bare_non_finite(read_file_text(path));
  JsonObject all = JsonObject::parse(text, nullptr, /*allow_exceptions=*/false);
  if (all.is_discarded()) return read_lines(text, path);
  if (!all.is_array()) {
    throw IoError(fmt::format("[JsonLog] '{}': expected a JSON array of records", path.string()));
  }
  std::vector<JsonLogRecord> records;
  for (JsonObject& r : all) {
    if (!r.is_object()) {
      throw IoError(
          fmt::format("[JsonLog] '{}': record {} is not an object", path.string(), records.size()));
    }
    records.push_back(restore_non_finite(std::move(r)));
  }
  return records;
}

}  // namespace fg::formats
