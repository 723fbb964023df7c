#include "data/download.h"

#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/check.h"
#include "core/checked_fs.h"
#include "core/strings.h"
#include "core/timer.h"
#include "data/sha256.h"

namespace fg::data {

namespace fs = std::filesystem;

void DownloadOptions::validate() const {
  bool scheme = starts_with(url, "http://") || starts_with(url, "https://");
  size_t host_start = url.find("://") == std::string::npos ? 0 : url.find("://") + 3;
  bool host = scheme && host_start < url.size() && url[host_start] != '/';
  bool clean = url.find_first_of(" \t\n\r") == std::string::npos;
  FG_CHECK(scheme && host && clean,
           "[Download] expected an http:// or https:// URL with a host, got '{}'", url);
  FG_CHECK(sha256.empty() || (sha256.size() == 64 &&
                              sha256.find_first_not_of("0123456789abcdef") == std::string::npos),
           "[Download] expected sha256 as 64 lowercase hex digits, got '{}'", sha256);
}

fs::path default_cache_dir() {
  if (const char* env = std::getenv("FORGATHER_CACHE"); env && *env) return fs::path(env);
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / ".cache" / "forgather";
}

fs::path download_path(const DownloadOptions& o) {
  std::string name = o.file_name;
  if (name.empty()) {
    std::string path = o.url.substr(0, o.url.find_first_of("?#"));
    name = path.substr(path.find_last_of('/') + 1);
  }
  FG_CHECK(!name.empty() && name != "." && name != "..",
           "[Download] cannot derive a file name from the URL '{}'; set file_name", o.url);
  fs::path dir = o.cache_dir.empty() ? default_cache_dir() : o.cache_dir;
  return dir / "downloads" / name;
}

namespace {

// Empty when the file passes; otherwise what is wrong with it.
std::string check_file(const fs::path& file, const DownloadOptions& o) {
  int64_t size = static_cast<int64_t>(fs::file_size(file));
  if (o.expected_size >= 0 && size != o.expected_size)
    return fmt::format("expected {} bytes, found {}", o.expected_size, size);
  if (!o.sha256.empty()) {
    std::string got = sha256_file_hex(file);
    if (got != o.sha256) return fmt::format("expected sha256 {}, found {}", o.sha256, got);
  }
  return {};
}

struct Transfer {
  FILE* file = nullptr;
  fs::path path;
  int64_t offset = 0;  // bytes already in the .part file when this request started
  CURL* curl = nullptr;
  bool checked_status = false;
  const DownloadOptions* options = nullptr;
  Timer since_report;
};

// A server that ignores Range answers 200 with the whole file: start the .part file over.
size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->checked_status) {
    t->checked_status = true;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (t->offset > 0 && status == 200) {
      t->file = std::freopen(nullptr, "wb", t->file);
      if (t->file == nullptr) return 0;
      t->offset = 0;
    }
  }
  return std::fwrite(data, size, count, t->file) * size;
}

int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->options->on_progress && t->since_report.seconds() > 0.25) {
    t->since_report.reset();
    t->options->on_progress(t->offset + now, total > 0 ? t->offset + total : -1);
  }
  return 0;
}

std::string offline_hint(const DownloadOptions& o, const fs::path& target) {
  return fmt::format("download {} yourself and save it as {}", o.url, target.string());
}

// One request; returns the HTTP status (0 on a transport error, with `error` set).
long perform(const DownloadOptions& o, const fs::path& part, std::string& error) {
  Transfer t;
  t.offset = fs::exists(part) ? static_cast<int64_t>(fs::file_size(part)) : 0;
  t.file = std::fopen(part.c_str(), t.offset > 0 ? "ab" : "wb");
  if (t.file == nullptr) throw IoError(fmt::format("[Download] cannot write {}", part.string()));
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  t.curl = curl.get();
  t.options = &o;
  char message[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(t.curl, CURLOPT_URL, o.url.c_str());
  curl_easy_setopt(t.curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(t.curl, CURLOPT_FAILONERROR, 0L);
  curl_easy_setopt(t.curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.connect_timeout_s));
  curl_easy_setopt(t.curl, CURLOPT_ERRORBUFFER, message);
  curl_easy_setopt(t.curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(t.curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(t.curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFODATA, &t);
  // CURLOPT_RANGE (not RESUME_FROM) so a server that ignores ranges is not an error: on_write
  // sees its 200 and starts the file over.
  const std::string range = fmt::format("{}-", t.offset);
  if (t.offset > 0) curl_easy_setopt(t.curl, CURLOPT_RANGE, range.c_str());
  CURLcode rc = curl_easy_perform(t.curl);
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  if (t.file != nullptr) std::fclose(t.file);
  if (rc == CURLE_OK && status < 400 && o.on_progress) {  // a final report at 100%
    int64_t size = static_cast<int64_t>(fs::file_size(part));
    o.on_progress(size, size);
  }
  if (rc != CURLE_OK) {
    error = message[0] ? message : curl_easy_strerror(rc);
    return 0;
  }
  return status;
}

void download_to_part(const DownloadOptions& o, const fs::path& part, const fs::path& target) {
  std::string error;
  long status = perform(o, part, error);
  if (status == 416) {  // the .part file is longer than the resource: start over once
    fs::remove(part);
    status = perform(o, part, error);
  }
  if (status == 0 || status >= 400) {
    if (status >= 400) fs::remove(part);
    std::string what = status == 0 ? error : fmt::format("HTTP status {}", status);
    throw IoError(fmt::format("[Download] could not download {}: {}; {}", o.url, what,
                              offline_hint(o, target)));
  }
}

}  // namespace

fs::path fetch(const DownloadOptions& o) {
  o.validate();
  fs::path target = download_path(o);
  if (const fs::file_type type = file_type_of(target, "Download");
      type != fs::file_type::not_found && type != fs::file_type::regular) {
    throw path_error("Download", "use the cached file", target, "it is " + file_type_words(type));
  }
  if (exists_checked(target, "Download")) {
    std::string problem = check_file(target, o);
    if (problem.empty()) return target;
    fs::remove(target);  // a stale or damaged copy: fetch it again
  }
  if (o.offline)
    throw IoError(
        fmt::format("[Download] offline and {} is not cached; {}", o.url, offline_hint(o, target)));
  create_directories_checked(target.parent_path(), "Download", "cache directory");
  fs::path part = target;
  part += ".part";
  download_to_part(o, part, target);
  if (std::string problem = check_file(part, o); !problem.empty()) {
    fs::remove(part);
    throw IoError(fmt::format("[Download] {} failed its check ({}); the download was removed",
                              o.url, problem));
  }
  rename_checked(part, target, "Download");
  return target;
}

}  // namespace fg::data
