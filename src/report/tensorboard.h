#pragma once
// `forgather tb [DIR]`: runs `tensorboard --logdir DIR` when a tensorboard executable is on the
// PATH; otherwise explains how to get it and points to `forgather compare`.
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace fg::report {

inline constexpr int kTensorBoardMissingExit = 2;

// The first executable regular file `name` in the colon-separated `path_env` (empty entries
// mean the current directory, as in POSIX).
std::optional<std::filesystem::path> find_on_path(const std::string& name,
                                                  const std::string& path_env);

// The argument vector: tensorboard --logdir DIR [extra...].
std::vector<std::string> tensorboard_argv(const std::filesystem::path& executable,
                                          const std::filesystem::path& logdir,
                                          const std::vector<std::string>& extra);

// What to do without tensorboard (pip install tensorboard; forgather compare as the offline view).
std::string tensorboard_missing_message(const std::filesystem::path& logdir);

struct TensorBoardOptions {
  std::filesystem::path logdir = "output_models";
  std::vector<std::string> extra_args;  // passed through to tensorboard
  bool dry_run = false;                 // print the command only
  std::string path_env;                 // the PATH to search (the caller reads the environment)
};

// Prints the command and runs it, returning its exit status; kTensorBoardMissingExit (with the
// message on `err`) when there is no tensorboard. Throws fg::Error if it cannot be started.
int run_tensorboard(const TensorBoardOptions& options, std::ostream& out, std::ostream& err);

}  // namespace fg::report
