#pragma once
// Reads the shared TinyStories sample (never copied into the repo) for tokenizer tests.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fg::tokenizer::testing {

// FG_SOURCE_DIR "/../shared" in the main checkout; a worktree under wt/ sits one level deeper.
inline std::filesystem::path tinystories_dir() {
  std::filesystem::path root(FG_SOURCE_DIR);
  for (auto up : {root / "..", root / ".." / ".."}) {
    auto dir = up / "shared" / "data" / "tinystories-lc";
    if (std::filesystem::exists(dir / "train.txt")) return dir;
  }
  throw std::runtime_error("test corpus not found: expected " FG_SOURCE_DIR
                           "/../shared/data/tinystories-lc/train.txt");
}

// Splits a file at "<|endoftext|>" lines, as the TinyStories text format does.
inline std::vector<std::string> read_stories(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::vector<std::string> out;
  const std::string sep = "<|endoftext|>\n";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t q = text.find(sep, pos);
    if (q == std::string::npos) q = text.size();
    if (q > pos) out.push_back(text.substr(pos, q - pos));
    pos = q + sep.size();
  }
  return out;
}

}  // namespace fg::tokenizer::testing
