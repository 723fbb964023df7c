#pragma once
// Downloads a URL once into the cache ($FORGATHER_CACHE, default ~/.cache/forgather) with
// libcurl: progress reports, resume from a ".part" file with a Range request, and SHA-256 or
// size checks. Offline (or when the download fails) with nothing cached, the error says what to
// download and where to put it.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace fg::data {

struct DownloadOptions {
  std::string url;
  std::filesystem::path cache_dir;  // empty: default_cache_dir()
  std::string file_name;            // empty: the URL's last path component
  std::string sha256;               // lowercase hex; empty: not checked
  int64_t expected_size = -1;       // bytes; -1: not checked
  bool offline = false;             // never touch the network
  int64_t connect_timeout_s = 30;
  // (bytes so far, total or -1), called at most a few times a second.
  std::function<void(int64_t, int64_t)> on_progress;

  void validate() const;
};

// $FORGATHER_CACHE, else $HOME/.cache/forgather.
std::filesystem::path default_cache_dir();

// Where the file lives once downloaded: <cache_dir>/downloads/<file_name>.
std::filesystem::path download_path(const DownloadOptions& options);

// Returns the cached file, downloading (or resuming) it first when needed. A cached file that
// fails its checks is removed and fetched again; a fresh download that fails them throws.
std::filesystem::path fetch(const DownloadOptions& options);

}  // namespace fg::data
