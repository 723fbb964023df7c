#include "data/text_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_util.h"

namespace fg::data {
namespace {

using testing::TempDir;

TEST(TextSource, SplitsTinyStoriesAtEndOfTextLines) {
  TempDir dir("sep");
  auto f = dir.write("s.txt", "one.\n\ntwo lines\n<|endoftext|>\nsecond story\n<|endoftext|>\n\n");
  DataSourceOptions o;
  o.paths = {f.string()};
  auto docs = load_documents(o);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0], "one.\n\ntwo lines");
  EXPECT_EQ(docs[1], "second story");
}

TEST(TextSource, ReadsJsonlLinesAndWholeFiles) {
  TempDir dir("fmt");
  dir.write("a.jsonl", "{\"story\": \"caf\\u00e9 one\", \"id\": 1}\n\n{\"story\": \"two\"}\n");
  dir.write("b.txt", "just one document\nwith two lines\n");
  DataSourceOptions o;
  o.paths = {(dir.path() / "a.jsonl").string()};
  o.text_field = "story";
  EXPECT_EQ(load_documents(o), (std::vector<std::string>{"caf\xC3\xA9 one", "two"}));
  o.paths = {(dir.path() / "b.txt").string()};
  EXPECT_EQ(load_documents(o), (std::vector<std::string>{"just one document\nwith two lines"}));
  o.format = TextFormat::kLines;
  EXPECT_EQ(load_documents(o).size(), 2u);
}

TEST(TextSource, GlobsAndDirectoriesAreSorted) {
  TempDir dir("glob");
  dir.write("d/2.txt", "b\n<|endoftext|>\n");
  dir.write("d/1.txt", "a\n<|endoftext|>\n");
  dir.write("d/skip.bin", "x");
  DataSourceOptions o;
  o.paths = {(dir.path() / "d").string()};
  EXPECT_EQ(load_documents(o), (std::vector<std::string>{"a", "b"}));
  o.paths = {(dir.path() / "d" / "*.txt").string()};
  EXPECT_EQ(load_documents(o), (std::vector<std::string>{"a", "b"}));
}

TEST(TextSource, SlicesLikeHfSplits) {
  auto s = parse_split_spec("train[:10%]");
  EXPECT_EQ(s.name, "train");
  EXPECT_EQ(s.slice.resolve(2119719), (std::pair<int64_t, int64_t>{0, 211971}));
  EXPECT_EQ(parse_slice("[0:500]").resolve(21990), (std::pair<int64_t, int64_t>{0, 500}));
  EXPECT_EQ(parse_slice("[500:]").resolve(21990), (std::pair<int64_t, int64_t>{500, 21990}));
  EXPECT_EQ(parse_slice("[25%:50%]").resolve(8), (std::pair<int64_t, int64_t>{2, 4}));
  EXPECT_EQ(parse_slice("[:3]").prefix_limit(), 3);
  EXPECT_EQ(parse_slice("[:3%]").prefix_limit(), std::nullopt);

  DataSourceOptions o;
  o.paths = {(testing::shared_tinystories() / "valid.txt").string()};
  o.slice = parse_slice("[:10%]");
  EXPECT_EQ(load_documents(o).size(), 24u);  // first 10% of 240, in file order
  o.slice = parse_slice("[:5]");
  auto first5 = load_documents(o);
  o.slice = {};
  auto all = load_documents(o);
  ASSERT_EQ(all.size(), 240u);
  EXPECT_EQ(std::vector<std::string>(all.begin(), all.begin() + 5), first5);
}

}  // namespace
}  // namespace fg::data

namespace fg::data {
namespace {

TEST(TextSource, PrefixSlicesStopParsingEarly) {
  testing::TempDir dir("prefix");
  // Line 3 is bad JSON, but "[:2]" never reads that far.
  auto f = dir.write("d.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{oops\n");
  DataSourceOptions o;
  o.paths = {f.string()};
  o.slice = parse_slice("[:2]");
  EXPECT_EQ(load_documents(o), (std::vector<std::string>{"a", "b"}));
  o.slice = parse_slice("[1:2]");
  EXPECT_EQ(load_documents(o), (std::vector<std::string>{"b"}));
  auto g = dir.write("s.txt", "x\n<|endoftext|>\ny\n<|endoftext|>\nz\n");
  EXPECT_EQ(parse_documents("x\n<|endoftext|>\ny\n<|endoftext|>\nz\n", TextFormat::kSeparated, o,
                            g.string(), 2),
            (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(
      parse_documents("x\n<|endoftext|>\ny\n", TextFormat::kSeparated, o, g.string(), 0).size(),
      0u);
}

// Data paths that are not text files: each is an IoError naming the path, and a FIFO never
// blocks the read.
std::string data_error(const std::string& path) {
  DataSourceOptions o;
  o.paths = {path};
  try {
    load_documents(o);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(HostileDataPath, AFifoIsRefusedWithoutBlocking) {
  TempDir dir("fifo");
  ASSERT_EQ(::mkfifo((dir.path() / "stories.txt").c_str(), 0644), 0);
  EXPECT_NE(data_error((dir.path() / "stories.txt").string()).find("stories.txt' is a FIFO"),
            std::string::npos);
}

TEST(HostileDataPath, AFileBelowAFileDoesNotExist) {
  TempDir dir("below");
  dir.write("f.txt", "x");
  EXPECT_NE(data_error((dir.path() / "f.txt" / "g.txt").string()).find("g.txt' does not exist"),
            std::string::npos);
}

TEST(HostileDataPath, ADirectoryHoldingOnlyAFifoHoldsNoTextFiles) {
  TempDir dir("only_fifo");
  std::filesystem::create_directories(dir.path() / "d");
  ASSERT_EQ(::mkfifo((dir.path() / "d" / "a.txt").c_str(), 0644), 0);
  EXPECT_NE(data_error((dir.path() / "d").string()).find("holds no .txt, .jsonl or .json files"),
            std::string::npos);
}

TEST(HostileDataPath, ADeviceIsRefused) {
  EXPECT_NE(data_error("/dev/zero").find("'/dev/zero' is a character device"), std::string::npos);
}

}  // namespace
}  // namespace fg::data
