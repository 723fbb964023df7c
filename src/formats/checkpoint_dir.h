#pragma once
// Atomic checkpoint directories (spec-ml §5.10 adapted, formats.md §1.5):
//   <output_dir>/checkpoints/.tmp-checkpoint-<step>-<pid>/   files written and fsynced here
//   -> rename to checkpoint-<step>/ -> write checkpoint_complete.json (the completion marker).
// Only directories with a valid marker count as checkpoints; the latest is chosen by step
// number, never by mtime. Anything named ".tmp-*-<pid>" whose process is gone is debris from a
// crash and is removed by remove_stale_temps().
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fg::formats {

inline constexpr std::string_view kCheckpointMarker = "checkpoint_complete.json";

struct CheckpointInfo {
  int64_t step = 0;
  std::filesystem::path path;
};

class PendingCheckpoint;

class CheckpointDirectory {
 public:
  // `root` is <output_dir>/checkpoints; it is created if missing.
  explicit CheckpointDirectory(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }

  // Removes ".tmp-*" entries left by processes that no longer exist; returns what it removed.
  // Call once at start-up.
  std::vector<std::filesystem::path> remove_stale_temps() const;

  // Committed checkpoints (valid marker, every listed file present with its size), by step.
  std::vector<CheckpointInfo> list() const;
  std::optional<CheckpointInfo> latest() const;
  // "checkpoint-<step>" directories without a valid marker (interrupted or foreign).
  std::vector<std::filesystem::path> list_incomplete() const;

  // Starts writing checkpoint `step` into a fresh temporary directory.
  PendingCheckpoint begin(int64_t step) const;

  // Deletes the oldest committed checkpoints so that at most max(save_total_limit, 1) remain,
  // never the newest and never `protect_step` (e.g. the best one). save_total_limit <= 0 keeps
  // everything. Returns the deleted paths.
  std::vector<std::filesystem::path> rotate(
      int64_t save_total_limit, std::optional<int64_t> protect_step = std::nullopt) const;

  // Whether `dir` holds a valid completion marker for `step` and all the files it lists.
  static bool is_complete(const std::filesystem::path& dir, int64_t step);
  // "checkpoint-<digits>" -> step; nullopt for anything else.
  static std::optional<int64_t> parse_step(std::string_view name);

 private:
  std::filesystem::path root_;
};

// A checkpoint being written. Files go into dir() (via write_file or by any writer that
// creates files there); commit() makes it durable and visible. Destroying an uncommitted
// checkpoint removes its temporary directory.
class PendingCheckpoint {
 public:
  PendingCheckpoint(PendingCheckpoint&& other) noexcept;
  PendingCheckpoint& operator=(PendingCheckpoint&&) = delete;
  PendingCheckpoint(const PendingCheckpoint&) = delete;
  ~PendingCheckpoint();

  const std::filesystem::path& dir() const { return tmp_; }
  int64_t step() const { return step_; }

  // Writes and fsyncs dir()/name (name may contain '/' for subdirectories, never "..").
  void write_file(const std::string& name, std::span<const std::byte> bytes);
  void write_text(const std::string& name, std::string_view text);

  // fsyncs every file and directory, renames to checkpoint-<step> (replacing an existing one),
  // fsyncs the parent, then writes the marker. Returns the committed checkpoint.
  CheckpointInfo commit();

 private:
  friend class CheckpointDirectory;
  PendingCheckpoint(std::filesystem::path root, int64_t step);

  std::filesystem::path root_;
  std::filesystem::path tmp_;
  int64_t step_ = 0;
  bool done_ = false;
};

}  // namespace fg::formats
