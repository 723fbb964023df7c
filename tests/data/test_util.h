#pragma once
// Shared helpers for data tests: a temporary directory and file writer, and an error matcher.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/error.h"

namespace fg::data::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("fg_data_" + name + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

// Runs fn, expecting an fg::Error whose message contains every one of `parts`.
inline void expect_error(const std::function<void()>& fn,
                         std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "expected an fg::Error, nothing was thrown";
  } catch (const Error& e) {
    std::string msg = e.what();
    for (const auto& part : parts) EXPECT_NE(msg.find(part), std::string::npos) << msg;
  }
}

inline std::filesystem::path shared_tinystories() {
  std::filesystem::path root(FG_SOURCE_DIR);
  for (auto up : {root / "..", root / ".." / ".."}) {
    auto dir = up / "shared" / "data" / "tinystories-lc";
    if (std::filesystem::exists(dir / "train.txt")) return dir;
  }
  throw std::runtime_error("test corpus not found under " FG_SOURCE_DIR "/../shared");
}

}  // namespace fg::data::testing
