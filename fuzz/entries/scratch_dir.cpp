#include "entries/scratch_dir.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace fg::fuzz {

namespace {

// Removed with its files when the process exits normally.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() / ("fg-fuzz-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

const std::filesystem::path& scratch_dir() {
  // Made once per process: the fuzzer calls the entry millions of times.
  static const ScratchDir dir;
  return dir.path();
}

std::filesystem::path write_scratch_file(const std::string_view name, std::string_view bytes) {
  const std::filesystem::path path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("fuzz harness: could not write " + path.string());
  return path;
}

}  // namespace fg::fuzz
