// Paths a hostile user can name: files where directories are expected and back, FIFOs,
// devices, pseudo filesystems. Each must be an fg::IoError naming the path, never a hang or a
// std::filesystem::filesystem_error.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/checked_fs.h"

namespace fg {
namespace {

namespace fs = std::filesystem;

// A scratch directory holding a file "f", a directory "d" and a FIFO "fifo".
class Scratch {
 public:
  Scratch() {
    std::string templ = (fs::temp_directory_path() / "fg-checked-fs-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = templ;
    std::ofstream(root_ / "f") << "text";
    fs::create_directory(root_ / "d");
    ::mkfifo((root_ / "fifo").c_str(), 0644);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  fs::path operator/(const std::string& name) const { return root_ / name; }

 private:
  fs::path root_;
};

struct PathCase {
  std::string name;
  std::function<void(const Scratch&)> run;
  std::string expected;  // a substring of the message
};

void PrintTo(const PathCase& c, std::ostream* os) {
  *os << c.name;
}

class HostileFilesystemPath : public ::testing::TestWithParam<PathCase> {};

TEST_P(HostileFilesystemPath, IsAnIoErrorNamingThePath) {
  Scratch s;
  std::string message;
  try {
    GetParam().run(s);
  } catch (const IoError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
  EXPECT_EQ(message.rfind("[test]", 0), 0u) << message;
}

const PathCase kCases[] = {
    {"DirectoryThatIsAFile",
     [](const Scratch& s) { create_directories_checked(s / "f", "test", "output directory"); },
     "cannot create output directory"},
    {"DirectoryUnderAFile",
     [](const Scratch& s) { create_directories_checked(s / "f" / "sub" / "x", "test"); },
     "f' is a file"},
    {"DirectoryThatIsAFifo",
     [](const Scratch& s) { create_directories_checked(s / "fifo", "test"); },
     "it exists and is a FIFO"},
    {"DirectoryUnderProc", [](const Scratch&) { create_directories_checked("/proc/fg_x", "test"); },
     "'/proc' does not allow creating entries"},
    {"DeepDirectoryUnderProc",
     [](const Scratch&) { create_directories_checked("/proc/fg_x/y/z", "test"); },
     "cannot create directory '/proc/fg_x/y/z'"},
    {"DirectoryUnderProcFile",
     [](const Scratch&) { create_directories_checked("/proc/self/status/x", "test"); },
     "'/proc/self/status' is a file"},
    {"FileThatIsADirectory", [](const Scratch& s) { require_regular_file(s / "d", "test"); },
     "is a directory, expected a regular file"},
    {"FileThatIsMissing", [](const Scratch& s) { require_regular_file(s / "nope", "test"); },
     "does not exist"},
    {"FileUnderAFile", [](const Scratch& s) { require_regular_file(s / "f" / "x", "test"); },
     "does not exist"},
    {"FileThatIsAFifo", [](const Scratch& s) { read_file_checked(s / "fifo", "test"); },
     "is a FIFO (named pipe), expected a regular file"},
    {"FileThatIsADevice", [](const Scratch&) { read_file_checked("/dev/null", "test"); },
     "is a character device"},
    {"OpenedFifo", [](const Scratch& s) { open_regular_file(s / "fifo", "test"); },
     "FIFO (named pipe)"},
    {"DirectoryThatIsMissing",
     [](const Scratch& s) { require_directory(s / "nope", "test", "model directory"); },
     "model directory"},
    {"DirectoryThatIsAFileForReading", [](const Scratch& s) { require_directory(s / "f", "test"); },
     "is a file, expected a directory"},
    {"OutputFileThatIsADirectory",
     [](const Scratch& s) { write_file_checked(s / "d", "x", "test"); },
     "it is a directory, expected a regular file path"},
    {"OutputFileThatIsAFifo", [](const Scratch& s) { write_file_checked(s / "fifo", "x", "test"); },
     "it is a FIFO"},
    {"OutputFileInMissingDirectory",
     [](const Scratch& s) { write_file_checked(s / "nope" / "out.json", "x", "test"); },
     "nope' does not exist"},
    {"OutputFileUnderAFile",
     [](const Scratch& s) { write_file_checked(s / "f" / "out.json", "x", "test"); },
     "f' is a file, not a directory"},
    {"OutputFileInProc", [](const Scratch&) { write_file_checked("/proc/fg_out", "x", "test"); },
     "cannot write '/proc/fg_out'"},
    {"SymlinkLoop",
     [](const Scratch& s) {
       fs::create_symlink(s / "loop", s / "loop");
       create_directories_checked(s / "loop", "test");
     },
     "Too many levels of symbolic links"},
    {"NameTooLong",
     [](const Scratch& s) { require_regular_file(s / std::string(300, 'x'), "test"); },
     "File name too long"},
    {"RenameOfAMissingFile",
     [](const Scratch& s) { rename_checked(s / "nope", s / "other", "test"); },
     "No such file or directory"},
};

INSTANTIATE_TEST_SUITE_P(Paths, HostileFilesystemPath, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

TEST(HostileFilesystemPathOk, ExistsUnderAFileIsFalseNotAnError) {
  Scratch s;
  EXPECT_FALSE(exists_checked(s / "f" / "x", "test"));
  EXPECT_TRUE(exists_checked(s / "fifo", "test"));
}

TEST(HostileFilesystemPathOk, WritesAndReadsBack) {
  Scratch s;
  write_file_checked(s / "d" / "out.txt", {"ab", "cd"}, "test");
  EXPECT_EQ(read_file_checked(s / "d" / "out.txt", "test"), "abcd");
  create_directories_checked(s / "d" / "x" / "y", "test");
  EXPECT_TRUE(fs::is_directory(s / "d" / "x" / "y"));
}

}  // namespace
}  // namespace fg
