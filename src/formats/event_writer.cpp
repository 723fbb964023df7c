#include "formats/event_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "core/checked_fs.h"
#include "core/error.h"
#include "formats/event_proto.h"
#include "formats/tfrecord.h"

namespace fg::formats {
namespace {

std::string local_hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

}  // namespace

void EventWriterOptions::validate() const {
  if (log_dir.empty()) throw Error("[EventWriter] log_dir must be set");
  if (max_buffer_bytes < 0) {
    throw Error(
        fmt::format("[EventWriter] max_buffer_bytes must be >= 0, got {}", max_buffer_bytes));
  }
  if (hostname.find('/') != std::string::npos || filename_suffix.find('/') != std::string::npos) {
    throw Error("[EventWriter] hostname and filename_suffix must not contain '/'");
  }
}

std::string event_file_name(int64_t unix_seconds, const std::string& host, int64_t pid,
                            int64_t counter, const std::string& suffix) {
  return fmt::format("events.out.tfevents.{:010d}.{}.{}.{}{}", unix_seconds, host, pid, counter,
                     suffix);
}

double unix_time_now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double>(now).count();
}

EventWriter::EventWriter(EventWriterOptions options) : options_(std::move(options)) {
  options_.validate();
  create_directories_checked(options_.log_dir, "EventWriter", "log directory");
  std::string host = options_.hostname.empty() ? local_hostname() : options_.hostname;
  double now = unix_time_now();
  // O_EXCL plus a counter: two writers in one directory never truncate each other's file.
  for (int64_t counter = 0;; ++counter) {
    path_ = options_.log_dir / event_file_name(static_cast<int64_t>(now), host, ::getpid(), counter,
                                               options_.filename_suffix);
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      file_ = FileHandle(fd, path_);
      break;
    }
    if (errno != EEXIST || counter > 1000) {
      throw IoError(
          fmt::format("[EventWriter] cannot create '{}': {}", path_.string(), errno_text(errno)));
    }
  }
  append(encode_file_version_event(now));
  flush();
}

EventWriter::~EventWriter() {
  try {
    flush();
  } catch (const std::exception&) {
    // Destructors must not throw; close() is the checked path.
  }
}

void EventWriter::append(const std::string& event) {
  if (!file_.is_open()) throw IoError(fmt::format("[EventWriter] '{}' is closed", path_.string()));
  append_tfrecord(buffer_, event);
  if (static_cast<int64_t>(buffer_.size()) > options_.max_buffer_bytes) flush();
}

void EventWriter::add_scalar(const std::string& tag, double value, int64_t step,
                             std::optional<double> wall_time) {
  add_scalars(step, {{tag, value}}, wall_time);
}

void EventWriter::add_scalars(int64_t step,
                              const std::vector<std::pair<std::string, double>>& values,
                              std::optional<double> wall_time) {
  std::vector<std::pair<std::string, float>> kept;
  for (const auto& [tag, v] : values) {
    float f = static_cast<float>(v);
    if (options_.skip_non_finite && !std::isfinite(f)) {
      ++skipped_non_finite_;
      continue;
    }
    kept.emplace_back(tag, f);
  }
  if (kept.empty()) return;
  append(encode_scalars_event(wall_time.value_or(unix_time_now()), step, kept));
}

void EventWriter::add_text(const std::string& tag, const std::string& markdown, int64_t step,
                           std::optional<double> wall_time) {
  append(encode_text_event(wall_time.value_or(unix_time_now()), step, tag + "/text_summary",
                           markdown));
}

void EventWriter::add_session_start(int64_t step, std::optional<double> wall_time) {
  append(encode_session_start_event(wall_time.value_or(unix_time_now()), step));
}

void EventWriter::flush() {
  if (buffer_.empty() || !file_.is_open()) return;
  file_.write_all(buffer_);
  buffer_.clear();
}

void EventWriter::close() {
  if (!file_.is_open()) return;
  flush();
  file_.sync();
  file_.close();
}

}  // namespace fg::formats
