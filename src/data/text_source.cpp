#include "data/text_source.h"

#include <glob.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/check.h"
#include "core/checked_fs.h"
#include "core/strings.h"
#include "data/download.h"
#include "tokenizer/unicode.h"

namespace fg::data {

namespace fs = std::filesystem;

TextFormat parse_text_format(const std::string& name) {
  if (name == "auto") return TextFormat::kAuto;
  if (name == "separated") return TextFormat::kSeparated;
  if (name == "jsonl") return TextFormat::kJsonl;
  if (name == "lines") return TextFormat::kLines;
  if (name == "file") return TextFormat::kWholeFile;
  std::vector<std::string> names = {"auto", "separated", "jsonl", "lines", "file"};
  throw Error(fmt::format("[DataSource] unknown text format '{}'; expected one of {}{}", name,
                          join(names, ", "), did_you_mean(name, names)));
}

void DataSourceOptions::validate() const {
  FG_CHECK(!paths.empty(), "[DataSource] expected at least one path, glob, directory or URL");
  FG_CHECK(format != TextFormat::kJsonl || !text_field.empty(),
           "[DataSource] expected a JSONL text_field name, got an empty one");
  FG_CHECK(format != TextFormat::kSeparated || !separator.empty(),
           "[DataSource] expected a non-empty document separator");
}

namespace {

bool is_url(const std::string& p) {
  return starts_with(p, "http://") || starts_with(p, "https://") || p.find("://") != p.npos;
}

bool is_glob(const std::string& p) {
  return p.find_first_of("*?[") != std::string::npos;
}

std::vector<fs::path> expand_glob(const std::string& pattern) {
  glob_t g{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<fs::path> out;
  for (size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  if (out.empty())
    throw IoError(fmt::format("[DataSource] the pattern '{}' matched no files", pattern));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> list_directory(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto ext = it->path().extension().string();
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && (ext == ".txt" || ext == ".jsonl" || ext == ".json"))
      out.push_back(it->path());
  }
  if (ec) throw path_error("DataSource", "list", dir, ec.message());
  if (out.empty())
    throw IoError(fmt::format("[DataSource] the directory {} holds no .txt, .jsonl or .json files",
                              dir.string()));
  std::sort(out.begin(), out.end());
  return out;
}

fs::path fetch_url(const std::string& url, const DataSourceOptions& o) {
  DownloadOptions d;
  d.url = url;
  d.cache_dir = o.cache_dir;
  d.sha256 = o.sha256;
  d.expected_size = o.expected_size;
  d.offline = o.offline;
  d.on_progress = o.on_download_progress;
  try {
    return fetch(d);
  } catch (const IoError& e) {
    if (o.download_hint.empty()) throw;
    throw IoError(std::string(e.what()) + "; " + o.download_hint);
  }
}

std::string read_file(const fs::path& path) {
  return read_file_checked(path, "DataSource");
}

// 1-based line of byte `offset`.
int64_t line_of(const std::string& text, int64_t offset) {
  return 1 + std::count(text.begin(), text.begin() + offset, '\n');
}

void check_text(const std::string& text, const std::string& origin) {
  if (auto bad = tokenizer::find_invalid_utf8(text)) {
    throw IoError(fmt::format(
        "[DataSource] {}:{}: expected UTF-8 text, found the invalid byte 0x{:02X} at byte "
        "offset {}",
        origin, line_of(text, *bad), static_cast<uint8_t>(text[static_cast<size_t>(*bad)]), *bad));
  }
}

TextFormat detect_format(const std::string& text, const fs::path& path,
                         const DataSourceOptions& o) {
  auto ext = path.extension().string();
  if (ext == ".jsonl" || ext == ".json") return TextFormat::kJsonl;
  if (starts_with(text, o.separator + "\n") ||
      text.find("\n" + o.separator + "\n") != std::string::npos || ends_with(text, o.separator) ||
      ends_with(text, "\n" + o.separator + "\n"))
    return TextFormat::kSeparated;
  return TextFormat::kWholeFile;
}

}  // namespace

std::vector<fs::path> resolve_files(const DataSourceOptions& options) {
  options.validate();
  std::vector<fs::path> files;
  for (const std::string& p : options.paths) {
    if (is_url(p)) {
      files.push_back(fetch_url(p, options));
    } else if (is_glob(p)) {
      for (auto& f : expand_glob(p)) files.push_back(f);
    } else if (const fs::file_type type = file_type_of(p, "DataSource");
               type == fs::file_type::directory) {
      for (auto& f : list_directory(p)) files.push_back(f);
    } else if (type == fs::file_type::regular) {
      files.emplace_back(p);
    } else {
      throw IoError(fmt::format("[DataSource] expected a file, directory, glob or URL, but '{}' {}",
                                p,
                                type == fs::file_type::not_found ? std::string("does not exist")
                                                                 : "is " + file_type_words(type)));
    }
  }
  return files;
}

std::vector<std::string> load_documents(const DataSourceOptions& options) {
  std::vector<std::string> docs;
  auto limit = options.slice.prefix_limit();
  for (const fs::path& file : resolve_files(options)) {
    std::string text = read_file(file);
    check_text(text, file.string());
    TextFormat format =
        options.format == TextFormat::kAuto ? detect_format(text, file, options) : options.format;
    const int64_t room = limit ? *limit - static_cast<int64_t>(docs.size()) : -1;
    for (auto& d : parse_documents(text, format, options, file.string(), room))
      docs.push_back(std::move(d));
    if (limit && static_cast<int64_t>(docs.size()) >= *limit) break;
  }
  auto [first, last] = options.slice.resolve(static_cast<int64_t>(docs.size()));
  if (first > 0 || last < static_cast<int64_t>(docs.size())) {
    docs.erase(docs.begin() + last, docs.end());
    docs.erase(docs.begin(), docs.begin() + first);
  }
  if (docs.empty())
    throw IoError(fmt::format("[DataSource] expected at least one document, found none in {}{}",
                              join(options.paths, ", "),
                              options.slice.empty() ? "" : " " + options.slice.to_string()));
  return docs;
}

}  // namespace fg::data
