#pragma once
// Filesystem operations on paths that come from users: every failure is an fg::IoError that
// names the path and the reason ("[train] cannot create directory '/proc/x': Permission denied",
// "... is a file"), never a std::filesystem::filesystem_error. Inputs are checked for their
// type before they are opened, so a FIFO or a device is refused instead of blocking.
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/error.h"

namespace fg {

// "[who] cannot <action> '<path>': <reason>".
IoError path_error(std::string_view who, std::string_view action, const std::filesystem::path& path,
                   std::string_view reason);

// "a directory", "a FIFO", "a regular file", ... for messages.
std::string file_type_words(std::filesystem::file_type type);

// The type of `path` (not following a final symlink only when it dangles); file_type::not_found
// when it is missing. A permission problem on a parent is an IoError.
std::filesystem::file_type file_type_of(const std::filesystem::path& path, std::string_view who);

// Creates `dir` and its parents. A component that is a file, a missing permission or a
// read-only filesystem is an IoError naming `dir` (called `what`) and the offending component.
void create_directories_checked(const std::filesystem::path& dir, std::string_view who,
                                std::string_view what = "directory");

// Throws unless `path` is an existing regular file (`what` names it in the message, e.g.
// "prompts file") / an existing directory.
void require_regular_file(const std::filesystem::path& path, std::string_view who,
                          std::string_view what = "file");
void require_directory(const std::filesystem::path& path, std::string_view who,
                       std::string_view what = "directory");

// Opens an existing regular file for reading: non-blocking open, then fstat, so a FIFO or a
// device never blocks. Returns the descriptor (the caller closes it).
int open_regular_file(const std::filesystem::path& path, std::string_view who);

// Reads a whole regular file.
std::string read_file_checked(const std::filesystem::path& path, std::string_view who);

// Refuses an output file path that is an existing directory or other non-regular file, or
// whose parent is missing or not a directory.
void require_output_file_path(const std::filesystem::path& path, std::string_view who);

// Writes `text` (or `parts`, one after another) to "<path>.tmp-<pid>" and renames it over `path`.
void write_file_checked(const std::filesystem::path& path, std::string_view text,
                        std::string_view who);
void write_file_checked(const std::filesystem::path& path,
                        std::initializer_list<std::string_view> parts, std::string_view who);

void rename_checked(const std::filesystem::path& from, const std::filesystem::path& to,
                    std::string_view who);
void remove_all_checked(const std::filesystem::path& path, std::string_view who);
// std::filesystem::exists, with a permission problem as an IoError rather than an exception
// that names no component.
bool exists_checked(const std::filesystem::path& path, std::string_view who);

}  // namespace fg
