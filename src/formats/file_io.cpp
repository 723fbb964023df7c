#include "formats/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/checked_fs.h"
#include "core/error.h"

namespace fg::formats {

std::string errno_text(int err) {
  return std::strerror(err);
}

FileHandle::FileHandle(FileHandle&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

FileHandle FileHandle::open(const std::filesystem::path& path, int flags, int mode) {
  // Files are opened non-blocking and checked with fstat: a FIFO or a device named where a file
  // is expected is refused instead of blocking the process.
  const bool want_file = (flags & O_DIRECTORY) == 0;
  int fd = ::open(path.c_str(), flags | O_CLOEXEC | (want_file ? O_NONBLOCK : 0), mode);
  if (fd < 0) {
    throw IoError(fmt::format("[file] cannot open '{}': {}", path.string(), errno_text(errno)));
  }
  FileHandle handle(fd, path);
  if (want_file) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      std::error_code ec;
      throw IoError(fmt::format("[file] cannot open '{}': it is {}, expected a regular file",
                                path.string(),
                                file_type_words(std::filesystem::status(path, ec).type())));
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  }
  return handle;
}

void FileHandle::write_all(std::span<const std::byte> bytes) {
  const std::byte* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(
          fmt::format("[file] write to '{}' failed: {}", path_.string(), errno_text(errno)));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void FileHandle::write_all(std::string_view text) {
  write_all(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

void FileHandle::sync() {
  if (::fsync(fd_) != 0) {
    throw IoError(
        fmt::format("[file] fsync of '{}' failed: {}", path_.string(), errno_text(errno)));
  }
}

void FileHandle::close() {
  if (fd_ < 0) return;
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    throw IoError(
        fmt::format("[file] close of '{}' failed: {}", path_.string(), errno_text(errno)));
  }
}

std::vector<std::byte> read_file_bytes(const std::filesystem::path& path) {
  FileHandle f = FileHandle::open(path, O_RDONLY);
  std::vector<std::byte> out;
  std::byte buf[1 << 16];
  while (true) {
    ssize_t n = ::read(f.fd(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(
          fmt::format("[file] read of '{}' failed: {}", path.string(), errno_text(errno)));
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

std::string read_file_text(const std::filesystem::path& path) {
  std::vector<std::byte> bytes = read_file_bytes(path);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void sync_directory(const std::filesystem::path& dir) {
  FileHandle d = FileHandle::open(dir, O_RDONLY | O_DIRECTORY);
  d.sync();
  d.close();
}

void write_file_atomic(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  write_file_atomic_with(path, [&](FileHandle& f) { f.write_all(bytes); });
}

void write_file_atomic_with(const std::filesystem::path& path,
                            const std::function<void(FileHandle&)>& fill) {
  std::filesystem::path tmp = path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  try {
    FileHandle f = FileHandle::open(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    fill(f);
    f.sync();
    f.close();
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      throw IoError(fmt::format("[file] rename '{}' -> '{}' failed: {}", tmp.string(),
                                path.string(), errno_text(errno)));
    }
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
  std::filesystem::path parent = path.parent_path();
  sync_directory(parent.empty() ? std::filesystem::path(".") : parent);
}

void write_file_atomic(const std::filesystem::path& path, std::string_view text) {
  write_file_atomic(path, std::as_bytes(std::span<const char>(text.data(), text.size())));
}

}  // namespace fg::formats
