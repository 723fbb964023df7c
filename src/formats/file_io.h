#pragma once
// Small POSIX file helpers shared by the format writers: whole writes, fsync, atomic replace.
// All failures throw fg::IoError naming the path and the errno text.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fg::formats {

// An owned file descriptor (closed on destruction).
class FileHandle {
 public:
  FileHandle() = default;
  FileHandle(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  FileHandle(FileHandle&& other) noexcept;
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle();

  // flags as for open(2); mode used only with O_CREAT.
  static FileHandle open(const std::filesystem::path& path, int flags, int mode = 0644);

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }

  void write_all(std::span<const std::byte> bytes);  // loops over short writes and EINTR
  void write_all(std::string_view text);
  void sync();   // fsync
  void close();  // checks the close(2) result

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

// Reads a whole file; throws IoError if it cannot be read.
std::vector<std::byte> read_file_bytes(const std::filesystem::path& path);
std::string read_file_text(const std::filesystem::path& path);

// fsync a directory so that entries created or renamed in it are durable.
void sync_directory(const std::filesystem::path& dir);

// Writes bytes to "<path>.tmp-<pid>", fsyncs it, renames it over path and fsyncs the parent
// directory: readers see either the old file or the complete new one.
void write_file_atomic(const std::filesystem::path& path, std::span<const std::byte> bytes);
void write_file_atomic(const std::filesystem::path& path, std::string_view text);
// The same protocol, with the content streamed by `fill` into the temporary file.
void write_file_atomic_with(const std::filesystem::path& path,
                            const std::function<void(FileHandle&)>& fill);

std::string errno_text(int err);

}  // namespace fg::formats
