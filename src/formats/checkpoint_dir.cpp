#include "formats/checkpoint_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/checked_fs.h"
#include "core/error.h"
#include "core/json_parse.h"
#include "core/strings.h"
#include "formats/event_writer.h"
#include "formats/file_io.h"

namespace fg::formats {
namespace fs = std::filesystem;
namespace {

std::optional<int64_t> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return v;
}

// ".tmp-<anything>-<pid>" -> pid.
std::optional<int64_t> temp_owner(std::string_view name) {
  if (!starts_with(name, ".tmp-")) return std::nullopt;
  size_t dash = name.rfind('-');
  return parse_digits(name.substr(dash + 1));
}

bool process_alive(int64_t pid) {
  if (pid <= 0 || pid > 0x7fffffff) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

void rename_or_throw(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw IoError(fmt::format("[Checkpoint] rename '{}' -> '{}' failed: {}", from.string(),
                              to.string(), errno_text(errno)));
  }
}

// fsyncs every regular file and directory under dir (depth first), then dir itself; returns
// the regular files' relative paths and sizes.
std::map<std::string, int64_t> sync_tree(const fs::path& dir) {
  std::map<std::string, int64_t> files;
  std::vector<fs::path> dirs;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_symlink()) continue;
    if (e.is_regular_file()) {
      FileHandle f = FileHandle::open(e.path(), O_RDONLY);
      f.sync();
      files[fs::relative(e.path(), dir).generic_string()] = static_cast<int64_t>(e.file_size());
    } else if (e.is_directory()) {
      dirs.push_back(e.path());
    }
  }
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) sync_directory(*it);
  sync_directory(dir);
  return files;
}

void remove_tree(const fs::path& p) {
  remove_all_checked(p, "Checkpoint");
}

// The entries of `dir`; an unreadable directory is an IoError naming it.
std::vector<fs::directory_entry> entries_of(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::directory_entry> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    out.push_back(*it);
  if (ec) throw path_error("Checkpoint", "list", dir, ec.message());
  return out;
}

bool is_directory_entry(const fs::directory_entry& e) {
  std::error_code ec;
  return e.is_directory(ec);
}

}  // namespace

CheckpointDirectory::CheckpointDirectory(fs::path root) : root_(std::move(root)) {
  create_directories_checked(root_, "Checkpoint", "checkpoints directory");
}

std::optional<int64_t> CheckpointDirectory::parse_step(std::string_view name) {
  if (!starts_with(name, "checkpoint-")) return std::nullopt;
  return parse_digits(name.substr(11));
}

bool CheckpointDirectory::is_complete(const fs::path& dir, int64_t step) {
  std::error_code ec;
  fs::path marker = dir / kCheckpointMarker;
  if (!fs::is_regular_file(marker, ec)) return false;
  nlohmann::json j;
  try {
    j = parse_json(read_file_text(marker), marker.string());
    if (json_int64(j.at("step"), marker.string() + ": step") != step) return false;
    for (const auto& [name, size] : j.at("files").items()) {
      const fs::path rel(name);
      const bool escapes =
          rel.is_absolute() ||
          std::any_of(rel.begin(), rel.end(), [](const fs::path& p) { return p == ".."; });
      if (escapes) return false;  // a listed file outside the checkpoint: not ours
      fs::path f = dir / rel;
      if (!fs::is_regular_file(f, ec) || static_cast<int64_t>(fs::file_size(f, ec)) != size) {
        return false;
      }
    }
  } catch (const std::exception&) {
    return false;  // unreadable or malformed marker: not a committed checkpoint
  }
  return true;
}

std::vector<CheckpointInfo> CheckpointDirectory::list() const {
  std::vector<CheckpointInfo> out;
  for (const fs::directory_entry& e : entries_of(root_)) {
    auto step = parse_step(e.path().filename().string());
    if (step && is_directory_entry(e) && is_complete(e.path(), *step))
      out.push_back({*step, e.path()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.step < b.step; });
  return out;
}

std::optional<CheckpointInfo> CheckpointDirectory::latest() const {
  std::vector<CheckpointInfo> all = list();
  if (all.empty()) return std::nullopt;
  return all.back();
}

std::vector<fs::path> CheckpointDirectory::list_incomplete() const {
  std::vector<fs::path> out;
  for (const fs::directory_entry& e : entries_of(root_)) {
    auto step = parse_step(e.path().filename().string());
    if (step && is_directory_entry(e) && !is_complete(e.path(), *step)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> CheckpointDirectory::remove_stale_temps() const {
  std::vector<fs::path> removed;
  for (const fs::directory_entry& e : entries_of(root_)) {
    auto pid = temp_owner(e.path().filename().string());
    if (!pid || *pid == ::getpid() || process_alive(*pid)) continue;
    remove_tree(e.path());
    removed.push_back(e.path());
  }
  return removed;
}

PendingCheckpoint CheckpointDirectory::begin(int64_t step) const {
  if (step < 0) throw Error(fmt::format("[Checkpoint] step must be >= 0, got {}", step));
  return PendingCheckpoint(root_, step);
}

std::vector<fs::path> CheckpointDirectory::rotate(int64_t save_total_limit,
                                                  std::optional<int64_t> protect_step) const {
  std::vector<fs::path> removed;
  if (save_total_limit <= 0) return removed;
  std::vector<CheckpointInfo> all = list();
  int64_t keep = std::max<int64_t>(save_total_limit, 1);
  int64_t excess = static_cast<int64_t>(all.size()) - keep;
  for (size_t i = 0; excess > 0 && i + 1 < all.size(); ++i) {
    if (protect_step && all[i].step == *protect_step) continue;
    // Rename first: a crash mid-delete leaves ".tmp-" debris, never a half-deleted checkpoint.
    fs::path doomed = root_ / fmt::format(".tmp-delete-{}-{}", all[i].step, ::getpid());
    rename_or_throw(all[i].path, doomed);
    remove_tree(doomed);
    removed.push_back(all[i].path);
    --excess;
  }
  if (!removed.empty()) sync_directory(root_);
  return removed;
}

PendingCheckpoint::PendingCheckpoint(fs::path root, int64_t step)
    : root_(std::move(root)), step_(step) {
  tmp_ = root_ / fmt::format(".tmp-checkpoint-{}-{}", step, ::getpid());
  if (exists_checked(tmp_, "Checkpoint")) remove_tree(tmp_);
  std::error_code ec;
  fs::create_directory(tmp_, ec);
  if (ec) throw path_error("Checkpoint", "create", tmp_, ec.message());
}

PendingCheckpoint::PendingCheckpoint(PendingCheckpoint&& other) noexcept
    : root_(std::move(other.root_)),
      tmp_(std::move(other.tmp_)),
      step_(other.step_),
      done_(other.done_) {
  other.done_ = true;
}

PendingCheckpoint::~PendingCheckpoint() {
  if (done_) return;
  std::error_code ignored;
  fs::remove_all(tmp_, ignored);
}

void PendingCheckpoint::write_file(const std::string& name, std::span<const std::byte> bytes) {
  fs::path rel(name);
  bool escapes = rel.is_absolute() || name.empty() ||
                 std::any_of(rel.begin(), rel.end(), [](const fs::path& p) { return p == ".."; });
  if (escapes) throw Error(fmt::format("[Checkpoint] invalid file name '{}'", name));
  if (done_) throw Error(fmt::format("[Checkpoint] checkpoint {} is already committed", step_));
  fs::path target = tmp_ / rel;
  create_directories_checked(target.parent_path(), "Checkpoint");
  FileHandle f = FileHandle::open(target, O_WRONLY | O_CREAT | O_TRUNC);
  f.write_all(bytes);
  f.sync();
  f.close();
}

void PendingCheckpoint::write_text(const std::string& name, std::string_view text) {
  write_file(name, std::as_bytes(std::span<const char>(text.data(), text.size())));
}

CheckpointInfo PendingCheckpoint::commit() {
  if (done_) throw Error(fmt::format("[Checkpoint] checkpoint {} is already committed", step_));
  std::map<std::string, int64_t> files = sync_tree(tmp_);
  fs::path final_dir = root_ / fmt::format("checkpoint-{}", step_);
  std::optional<fs::path> old;
  if (exists_checked(
          final_dir,
          "Checkpoint")) {  // re-saving a step (e.g. after a resume): move the old one aside
    old = root_ / fmt::format(".tmp-replaced-{}-{}", step_, ::getpid());
    rename_or_throw(final_dir, *old);
  }
  rename_or_throw(tmp_, final_dir);
  done_ = true;
  sync_directory(root_);
  nlohmann::json marker = {{"step", step_}, {"time", unix_time_now()}, {"files", files}};
  write_file_atomic(final_dir / kCheckpointMarker, marker.dump(2) + "\n");
  if (old) remove_tree(*old);
  return CheckpointInfo{step_, final_dir};
}

}  // namespace fg::formats
