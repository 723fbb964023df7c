#include "tokenizer/directory_file.h"

#include <fmt/format.h>

#include "core/checked_fs.h"
#include "core/error.h"

namespace fg::tokenizer {

void check_directory_file(const std::filesystem::path& dir, const std::filesystem::path& path,
                          std::string_view who, std::string_view what) {
  require_regular_file(path, who, what);
  std::error_code ec;
  auto real_dir = std::filesystem::canonical(dir, ec);
  auto real_path = std::filesystem::canonical(path, ec);
  auto rel = real_path.lexically_relative(real_dir);
  if (ec || rel.empty() || *rel.begin() == "..")
    throw IoError(fmt::format("[{}] {} resolves to {}, outside the tokenizer directory {}", who,
                              path.string(), real_path.string(), real_dir.string()));
}

}  // namespace fg::tokenizer
