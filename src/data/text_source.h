#pragma once
// Text data sources: TinyStories-style files (documents separated by "<|endoftext|>" lines),
// JSONL with a configurable text field, one-document-per-line or whole-file plain text; given
// as files, globs, directories or URLs (downloaded once into the cache).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "data/slice.h"

namespace fg::data {

enum class TextFormat { kAuto, kSeparated, kJsonl, kLines, kWholeFile };

// "auto", "separated", "jsonl", "lines", "file"; throws on anything else.
TextFormat parse_text_format(const std::string& name);

struct DataSourceOptions {
  std::vector<std::string> paths;  // files, globs, directories or http(s) URLs
  TextFormat format = TextFormat::kAuto;
  std::string text_field = "text";          // JSONL
  std::string separator = "<|endoftext|>";  // kSeparated: a line holding exactly this
  Slice slice;                              // e.g. parse_slice("[:10%]")
  // For URLs: the cache folder (default_cache_dir() when empty) and optional checks.
  std::filesystem::path cache_dir;
  std::string sha256;
  int64_t expected_size = -1;
  bool offline = false;
  std::function<void(int64_t, int64_t)> on_download_progress;  // (bytes so far, total or -1)
  std::string download_hint;  // appended to a failed download's error: how to do without it

  void validate() const;
};

// Files that `options.paths` name, in order (globs and directories sorted); URLs are fetched.
std::vector<std::filesystem::path> resolve_files(const DataSourceOptions& options);

// Every document of every file, in file order, then sliced. Throws fg::IoError naming the file
// (and line or byte offset) for missing files, invalid UTF-8, bad JSON or a missing field, and
// when the result holds no documents.
std::vector<std::string> load_documents(const DataSourceOptions& options);

// Documents of one file's text, at most max_docs of them (-1: all); `origin` names it in errors.
std::vector<std::string> parse_documents(const std::string& text, TextFormat format,
                                         const DataSourceOptions& options,
                                         const std::string& origin, int64_t max_docs = -1);

}  // namespace fg::data
