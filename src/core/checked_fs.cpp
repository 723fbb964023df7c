#include "core/checked_fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace fg {
namespace fs = std::filesystem;
namespace {

fs::file_type type_of_mode(mode_t mode) {
  if (S_ISREG(mode)) return fs::file_type::regular;
  if (S_ISDIR(mode)) return fs::file_type::directory;
  if (S_ISFIFO(mode)) return fs::file_type::fifo;
  if (S_ISCHR(mode)) return fs::file_type::character;
  if (S_ISBLK(mode)) return fs::file_type::block;
  if (S_ISSOCK(mode)) return fs::file_type::socket;
  return fs::file_type::unknown;
}

std::string errno_words(int err) {
  return std::strerror(err);
}

// The nearest existing ancestor of `path` (or "" when none exists, e.g. a relative path).
fs::path existing_ancestor(const fs::path& path, std::string_view who) {
  for (fs::path p = path.parent_path(); !p.empty(); p = p.parent_path()) {
    if (file_type_of(p, who) != fs::file_type::not_found) return p;
    if (p == p.parent_path()) break;
  }
  return {};
}

}  // namespace

IoError path_error(std::string_view who, std::string_view action, const fs::path& path,
                   std::string_view reason) {
  return IoError(fmt::format("[{}] cannot {} '{}': {}", who, action, path.string(), reason));
}

std::string file_type_words(fs::file_type type) {
  switch (type) {
    case fs::file_type::regular:
      return "a file";
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::symlink:
      return "a symbolic link";
    case fs::file_type::not_found:
      return "missing";
    default:
      return "not a regular file";
  }
}

fs::file_type file_type_of(const fs::path& path, std::string_view who) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    // ENOTDIR: a parent is a file, so nothing can be found below it.
    if (errno == ENOENT || errno == ENOTDIR) return fs::file_type::not_found;
    throw path_error(who, "access", path, errno_words(errno));
  }
  return type_of_mode(st.st_mode);
}

void create_directories_checked(const fs::path& dir, std::string_view who, std::string_view what) {
  if (dir.empty()) return;
  const std::string action = "create " + std::string(what);
  const fs::file_type type = file_type_of(dir, who);
  if (type == fs::file_type::directory) return;
  if (type != fs::file_type::not_found)
    throw path_error(who, action, dir, "it exists and is " + file_type_words(type));
  const fs::path ancestor = existing_ancestor(dir, who);
  const fs::file_type ancestor_type =
      ancestor.empty() ? fs::file_type::directory : file_type_of(ancestor, who);
  if (ancestor_type != fs::file_type::directory) {
    throw path_error(who, action, dir,
                     fmt::format("'{}' is {}", ancestor.string(), file_type_words(ancestor_type)));
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) return;
  if (ec == std::errc::no_such_file_or_directory && !ancestor.empty()) {
    // A pseudo filesystem such as /proc reports a missing entry rather than a permission error.
    throw path_error(
        who, action, dir,
        fmt::format("'{}' does not allow creating entries ({})", ancestor.string(), ec.message()));
  }
  throw path_error(who, action, dir, ec.message());
}

void require_regular_file(const fs::path& path, std::string_view who, std::string_view what) {
  const fs::file_type type = file_type_of(path, who);
  if (type == fs::file_type::not_found)
    throw IoError(fmt::format("[{}] {} '{}' does not exist", who, what, path.string()));
  if (type != fs::file_type::regular) {
    throw IoError(fmt::format("[{}] {} '{}' is {}, expected a regular file", who, what,
                              path.string(), file_type_words(type)));
  }
}

void require_directory(const fs::path& path, std::string_view who, std::string_view what) {
  const fs::file_type type = file_type_of(path, who);
  if (type == fs::file_type::not_found)
    throw IoError(fmt::format("[{}] {} '{}' does not exist", who, what, path.string()));
  if (type != fs::file_type::directory) {
    throw IoError(fmt::format("[{}] {} '{}' is {}, expected a directory", who, what, path.string(),
                              file_type_words(type)));
  }
}

int open_regular_file(const fs::path& path, std::string_view who) {
  require_regular_file(path, who);
  // O_NONBLOCK: if the file was swapped for a FIFO after the check, open still returns.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw path_error(who, "read", path, errno_words(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw path_error(who, "read", path, "it is not a regular file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::string read_file_checked(const fs::path& path, std::string_view who) {
  const int fd = open_regular_file(path, who);
  std::string out;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw path_error(who, "read", path, errno_words(err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void require_output_file_path(const fs::path& path, std::string_view who) {
  const fs::file_type type = file_type_of(path, who);
  if (type != fs::file_type::not_found && type != fs::file_type::regular) {
    throw path_error(who, "write", path,
                     "it is " + file_type_words(type) + ", expected a regular file path");
  }
  const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const fs::file_type parent_type = file_type_of(parent, who);
  if (parent_type == fs::file_type::not_found)
    throw path_error(who, "write", path, "its directory '" + parent.string() + "' does not exist");
  if (parent_type != fs::file_type::directory) {
    throw path_error(
        who, "write", path,
        "'" + parent.string() + "' is " + file_type_words(parent_type) + ", not a directory");
  }
}

void write_file_checked(const fs::path& path, std::string_view text, std::string_view who) {
  write_file_checked(path, {text}, who);
}

void write_file_checked(const fs::path& path, std::initializer_list<std::string_view> parts,
                        std::string_view who) {
  require_output_file_path(path, who);
  fs::path tmp = path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw path_error(who, "write", path, errno_words(errno));
  int err = 0;
  for (std::string_view text : parts) {
    size_t done = 0;
    while (err == 0 && done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) err = errno;
      if (n > 0) done += static_cast<size_t>(n);
    }
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    throw path_error(who, "write", path, errno_words(err));
  }
}

void rename_checked(const fs::path& from, const fs::path& to, std::string_view who) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw path_error(who, "rename", from,
                     fmt::format("to '{}': {}", to.string(), errno_words(errno)));
  }
}

void remove_all_checked(const fs::path& path, std::string_view who) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) throw path_error(who, "remove", path, ec.message());
}

bool exists_checked(const fs::path& path, std::string_view who) {
  return file_type_of(path, who) != fs::file_type::not_found;
}

}  // namespace fg
