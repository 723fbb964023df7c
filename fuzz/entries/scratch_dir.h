#pragma once
// Readers that take a path get fuzz input through files in one directory per process.
#include <filesystem>
#include <string_view>

namespace fg::fuzz {

// <tmp>/fg-fuzz-<pid>, created on first use.
const std::filesystem::path& scratch_dir();

// Writes `bytes` to scratch_dir()/name (replacing it) and returns the path.
std::filesystem::path write_scratch_file(const std::string_view name, std::string_view bytes);

}  // namespace fg::fuzz
