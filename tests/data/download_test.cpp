#include "data/download.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "data/sha256.h"
#include "data/text_source.h"
#include "loopback_server.h"
#include "test_util.h"

namespace fg::data {
namespace {

using testing::expect_error;
using testing::LoopbackServer;
using testing::TempDir;

std::string payload() {
  std::string s;
  for (int i = 0; i < 5000; ++i) s += "story " + std::to_string(i) + "\n<|endoftext|>\n";
  return s;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Download, FetchesOnceIntoTheCacheWithProgressAndChecksum) {
  TempDir dir("dl");
  const std::string data = payload();
  LoopbackServer server({{"/data/stories.txt", data}});
  DownloadOptions d;
  d.url = server.url("/data/stories.txt");
  d.cache_dir = dir.path();
  d.sha256 = sha256_hex(data);
  d.expected_size = static_cast<int64_t>(data.size());
  std::vector<std::pair<int64_t, int64_t>> reports;
  d.on_progress = [&](int64_t done, int64_t total) { reports.emplace_back(done, total); };
  auto path = fetch(d);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), std::make_pair(d.expected_size, d.expected_size));
  EXPECT_EQ(path, dir.path() / "downloads" / "stories.txt");
  EXPECT_EQ(slurp(path), data);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".part"));
  EXPECT_EQ(server.requests(), 1);
  EXPECT_EQ(fetch(d), path);  // cached: no second request
  EXPECT_EQ(server.requests(), 1);

  // A URL works as a data source too.
  DataSourceOptions src;
  src.paths = {d.url};
  src.cache_dir = dir.path();
  EXPECT_EQ(load_documents(src).size(), 5000u);
}

TEST(Download, ResumesFromAPartialFileWithARangeRequest) {
  TempDir dir("resume");
  const std::string data = payload();
  LoopbackServer server({{"/big.txt", data}});
  DownloadOptions d;
  d.url = server.url("/big.txt");
  d.cache_dir = dir.path();
  d.sha256 = sha256_hex(data);
  // An interrupted earlier download left the first 1000 bytes.
  std::filesystem::create_directories(dir.path() / "downloads");
  std::ofstream(dir.path() / "downloads" / "big.txt.part", std::ios::binary)
      << data.substr(0, 1000);
  auto path = fetch(d);
  EXPECT_EQ(slurp(path), data);
  EXPECT_EQ(server.ranges_seen(), std::vector<std::string>{"1000-"});
}

TEST(Download, ServerWithoutRangeSupportRestartsThePartFile) {
  TempDir dir("norange");
  const std::string data = payload();
  LoopbackServer server({{"/f.txt", data}}, /*ranges=*/false);
  DownloadOptions d;
  d.url = server.url("/f.txt");
  d.cache_dir = dir.path();
  d.sha256 = sha256_hex(data);
  std::filesystem::create_directories(dir.path() / "downloads");
  std::ofstream(dir.path() / "downloads" / "f.txt.part", std::ios::binary) << "garbage prefix";
  EXPECT_EQ(slurp(fetch(d)), data);
}

TEST(Download, ChecksumMismatchRemovesTheDownloadAndSaysSo) {
  TempDir dir("mismatch");
  LoopbackServer server(std::map<std::string, std::string>{{"/x.txt", "not what you wanted"}});
  DownloadOptions d;
  d.url = server.url("/x.txt");
  d.cache_dir = dir.path();
  d.sha256 = sha256_hex("something else");
  expect_error([&] { fetch(d); }, {"[Download]", "failed its check", "expected sha256 " + d.sha256,
                                   "found " + sha256_hex("not what you wanted")});
  EXPECT_FALSE(std::filesystem::exists(download_path(d)));
  EXPECT_FALSE(std::filesystem::exists(download_path(d).string() + ".part"));
  d.sha256.clear();
  d.expected_size = 5;
  expect_error([&] { fetch(d); }, {"expected 5 bytes, found 19"});
}

TEST(Download, HttpErrorsAndRefusedConnectionsExplainTheWayOut) {
  TempDir dir("errors");
  LoopbackServer server(std::map<std::string, std::string>{});
  DownloadOptions d;
  d.url = server.url("/missing.txt");
  d.cache_dir = dir.path();
  expect_error([&] { fetch(d); }, {"[Download]", "HTTP status 404", "save it as"});
  int port = 0;
  {
    LoopbackServer gone(std::map<std::string, std::string>{});
    port = std::stoi(gone.url("").substr(17));
  }
  d.url = "http://127.0.0.1:" + std::to_string(port) + "/x.txt";
  d.connect_timeout_s = 5;
  expect_error([&] { fetch(d); }, {"[Download]", "could not download", "save it as"});
}

// A cache that cannot hold the download: an IoError naming the path, before any network use.
std::string fetch_error(const std::filesystem::path& cache_dir) {
  DownloadOptions d;
  d.url = "http://127.0.0.1:9/stories.txt";
  d.cache_dir = cache_dir;
  d.offline = true;
  try {
    fetch(d);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(HostileDownloadCache, CachedFileThatIsADirectory) {
  TempDir dir("dl_dir");
  std::filesystem::create_directories(dir.path() / "downloads" / "stories.txt");
  EXPECT_NE(fetch_error(dir.path()).find("stories.txt': it is a directory"), std::string::npos);
}

TEST(HostileDownloadCache, CachedFileThatIsAFifo) {
  TempDir dir("dl_fifo");
  std::filesystem::create_directories(dir.path() / "downloads");
  ASSERT_EQ(::mkfifo((dir.path() / "downloads" / "stories.txt").c_str(), 0644), 0);
  EXPECT_NE(fetch_error(dir.path()).find("stories.txt': it is a FIFO"), std::string::npos);
}

}  // namespace
}  // namespace fg::data
