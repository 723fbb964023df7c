#pragma once
// A tokenizer directory may come from a stranger: each file read from it must be a regular file
// that really lies inside it (a symlink out of it, to /etc/... say, or a pipe is refused).
#include <filesystem>
#include <string_view>

namespace fg::tokenizer {

// Throws fg::IoError prefixed by "[who]" naming `path` (a `what`) otherwise.
void check_directory_file(const std::filesystem::path& dir, const std::filesystem::path& path,
                          std::string_view who, std::string_view what = "tokenizer file");

}  // namespace fg::tokenizer
