#pragma once
// Reads one training run's directory (written by our Trainer or by Python Forgather):
//   <output_dir>/runs/<logdir>/trainer_logs.json       the log (newest logdir unless one is given)
//   <output_dir>/checkpoints/checkpoint-<step>/config.yaml  the resolved config (run name)
//   <output_dir>/config.json, model.safetensors        the parameter count
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/log_summary.h"

namespace fg::report {

struct RunSummary {
  std::string name;  // meta.config_name from the run's config.yaml, else the directory name
  std::filesystem::path output_dir;
  std::filesystem::path log_path;
  std::optional<int64_t> parameters;
  std::string parameters_source;  // the file the count came from
  LogSummary log;
  std::vector<std::string> notes;  // things the reader should know (other logdirs, ...)
};

// Where a run's log is. `path` is an output_dir (its newest runs/<logdir> is used; "newest" is
// the latest-modified trainer_logs.json, ties broken by name), a logdir, or a trainer_logs.json.
// Throws fg::IoError naming the path when there is no log.
struct LogLocation {
  std::filesystem::path output_dir;
  std::filesystem::path log_path;
  std::vector<std::filesystem::path> other_logs;  // older logdirs of the same output_dir
};
LogLocation locate_log(const std::filesystem::path& path);

// meta.config_name from the newest checkpoint's config.yaml; nullopt when absent or unreadable.
std::optional<std::string> config_name(const std::filesystem::path& output_dir);

// The newest checkpoints/checkpoint-<step> directory, if any.
std::optional<std::filesystem::path> newest_checkpoint(const std::filesystem::path& output_dir);

// Sum of the element counts of every tensor in a safetensors file. Throws fg::IoError.
int64_t count_safetensors_parameters(const std::filesystem::path& file);

// From config.json's parameter count if it has one, else from the weights (model.safetensors,
// a sharded index, or the newest checkpoint's). Sets `source` to the file used.
std::optional<int64_t> count_parameters(const std::filesystem::path& output_dir,
                                        std::string& source);

// Everything above for one run. Throws fg::IoError naming the file for a missing directory,
// a missing log, or a corrupt log.
RunSummary load_run(const std::filesystem::path& path);

}  // namespace fg::report
