// The format writers' file helpers refuse what is not a regular file, without blocking on a
// FIFO, and name the path in every error.
#include "formats/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;

struct FileCase {
  std::string name;
  std::function<void(const TempDir&)> run;
  std::string expected;
};

void PrintTo(const FileCase& c, std::ostream* os) {
  *os << c.name;
}

class HostileFileIo : public ::testing::TestWithParam<FileCase> {};

TEST_P(HostileFileIo, IsAnIoErrorNamingThePath) {
  TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp / "fifo").c_str(), 0644), 0);
  std::filesystem::create_directory(tmp / "dir");
  std::string message;
  try {
    GetParam().run(tmp);
  } catch (const IoError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Files, HostileFileIo,
    ::testing::Values(
        FileCase{"ReadAFifo", [](const TempDir& t) { read_file_bytes(t / "fifo"); },
                 "fifo': it is a FIFO (named pipe), expected a regular file"},
        FileCase{"ReadADirectory", [](const TempDir& t) { read_file_text(t / "dir"); },
                 "dir': it is a directory, expected a regular file"},
        FileCase{"ReadADevice", [](const TempDir&) { read_file_bytes("/dev/zero"); },
                 "'/dev/zero': it is a character device"},
        FileCase{"ReadAMissingFile", [](const TempDir& t) { read_file_bytes(t / "nope"); },
                 "nope': No such file or directory"},
        FileCase{"OpenAFifoForWriting",
                 [](const TempDir& t) { FileHandle::open(t / "fifo", O_WRONLY); },
                 "fifo': No such device or address"},
        FileCase{"AtomicWriteIntoProc",
                 [](const TempDir&) { write_file_atomic("/proc/fg_file", std::string_view("x")); },
                 "cannot open '/proc/fg_file.tmp-"},
        FileCase{"AtomicWriteOverADirectory",
                 [](const TempDir& t) { write_file_atomic(t / "dir", std::string_view("x")); },
                 "failed: Is a directory"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace fg::formats
