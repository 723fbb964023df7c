#pragma once
// TensorBoard event-file writer (shared/spec/formats.md §3): one file
// "events.out.tfevents.<%010d seconds>.<host>.<pid>.<counter><suffix>" per writer in log_dir,
// starting with the file_version record.
//
// Flush policy: records are framed into an in-memory buffer; flush() hands the whole buffer to
// the kernel with one write(2), so a reader never sees a torn record from us except at a crash
// mid-write (which readers treat as "not written yet"). The trainer calls flush() after each
// logging step; the buffer also flushes itself when it exceeds max_buffer_bytes, and on close().
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "formats/file_io.h"

namespace fg::formats {

struct EventWriterOptions {
  std::filesystem::path log_dir;
  std::string hostname;         // empty: gethostname()
  std::string filename_suffix;  // appended to the file name, e.g. ".v2"
  int64_t max_buffer_bytes = 1 << 20;
  bool skip_non_finite = true;  // NaN/Inf scalars wreck TensorBoard's autoscale; count them instead

  void validate() const;  // throws fg::Error
};

class EventWriter {
 public:
  explicit EventWriter(EventWriterOptions options);  // creates log_dir and the file
  ~EventWriter();                                    // flushes; errors are swallowed here
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // wall_time defaults to now (seconds since the Unix epoch).
  void add_scalar(const std::string& tag, double value, int64_t step,
                  std::optional<double> wall_time = std::nullopt);
  // Several scalars in one Event for the same step.
  void add_scalars(int64_t step, const std::vector<std::pair<std::string, double>>& values,
                   std::optional<double> wall_time = std::nullopt);
  // Markdown for the Text plugin under "<tag>/text_summary" (PyTorch's convention).
  void add_text(const std::string& tag, const std::string& markdown, int64_t step,
                std::optional<double> wall_time = std::nullopt);
  // Marks a resume at `step`: TensorBoard then drops the crashed run's events after it.
  void add_session_start(int64_t step, std::optional<double> wall_time = std::nullopt);

  void flush();
  void close();  // flush, fsync, close; further adds throw

  const std::filesystem::path& path() const { return path_; }
  int64_t skipped_non_finite() const { return skipped_non_finite_; }

 private:
  void append(const std::string& event);

  EventWriterOptions options_;
  std::filesystem::path path_;
  FileHandle file_;
  std::string buffer_;
  int64_t skipped_non_finite_ = 0;
};

// "events.out.tfevents.<%010d seconds>.<host>.<pid>.<counter><suffix>"
std::string event_file_name(int64_t unix_seconds, const std::string& host, int64_t pid,
                            int64_t counter, const std::string& suffix);
double unix_time_now();

}  // namespace fg::formats
