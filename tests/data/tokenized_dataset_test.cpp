#include "data/tokenized_dataset.h"

#include <gtest/gtest.h>

#include <fstream>

#include "data/synthetic_stories.h"
#include "data/tokenizer_build.h"
#include "test_util.h"
#include "tokenizer/byte_tokenizer.h"

namespace fg::data {
namespace {

using testing::TempDir;

TokenizeOptions options_in(const TempDir& dir) {
  TokenizeOptions o;
  o.cache_dir = dir.path() / "cache";
  return o;
}

TEST(TokenizedDataset, BuildsThenReusesTheCache) {
  TempDir dir("cache");
  tokenizer::ByteTokenizer tok;
  std::vector<std::string> docs = {"abc", "", "hello world", "caf\xC3\xA9"};
  auto first = TokenizedDataset::build(docs, tok, options_in(dir));
  EXPECT_FALSE(first.loaded_from_cache());
  EXPECT_EQ(first.size(), 4);
  EXPECT_EQ(first.token_bytes(), 2);
  EXPECT_EQ(first.document(0), tok.encode("abc"));
  EXPECT_EQ(first.document(1), std::vector<int32_t>{0});  // BOS only
  EXPECT_EQ(first.num_tokens(), 4 + 1 + 12 + 6);
  auto second = TokenizedDataset::build(docs, tok, options_in(dir));
  EXPECT_TRUE(second.loaded_from_cache());
  EXPECT_EQ(second.path(), first.path());
  EXPECT_EQ(second.document(3), tok.encode("caf\xC3\xA9"));
}

TEST(TokenizedDataset, ChangingTheTokenizerOrArgumentsInvalidatesTheCache) {
  TempDir dir("invalidate");
  auto docs = synthetic_stories({.seed = 7, .first = 0, .count = 60});
  tokenizer::TrainTokenizerOptions t;
  t.vocab_size = 300;
  t.num_threads = 1;
  auto tok_a = train_on_documents(docs, t);
  t.vocab_size = 320;
  auto tok_b = train_on_documents(docs, t);

  auto a = TokenizedDataset::build(docs, *tok_a, options_in(dir));
  auto b = TokenizedDataset::build(docs, *tok_b, options_in(dir));
  EXPECT_FALSE(b.loaded_from_cache());
  EXPECT_NE(a.path(), b.path());
  EXPECT_EQ(b.document(5), tok_b->encode(docs[5]));
  EXPECT_NE(a.num_tokens(), b.num_tokens());

  TokenizeOptions with_eos = options_in(dir);
  with_eos.add_eos = true;
  auto c = TokenizedDataset::build(docs, *tok_a, with_eos);
  EXPECT_FALSE(c.loaded_from_cache());
  EXPECT_EQ(c.document(0).back(), 2);
  EXPECT_TRUE(TokenizedDataset::build(docs, *tok_a, options_in(dir)).loaded_from_cache());
  auto changed = docs;
  changed[10] += "!";
  EXPECT_FALSE(TokenizedDataset::build(changed, *tok_a, options_in(dir)).loaded_from_cache());
}

TEST(TokenizedDataset, CorruptOrTruncatedCacheIsDetectedAndRebuilt) {
  TempDir dir("corrupt");
  tokenizer::ByteTokenizer tok;
  std::vector<std::string> docs = {"one story", "two stories", "three"};
  auto built = TokenizedDataset::build(docs, tok, options_in(dir));
  const auto path = built.path();
  const auto size = std::filesystem::file_size(path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 3));
    f.put('\x7f');  // flip a token byte: only the checksum can tell
  }
  std::vector<std::string> messages;
  TokenizeOptions o = options_in(dir);
  o.on_message = [&](const std::string& m) { messages.push_back(m); };
  auto rebuilt = TokenizedDataset::build(docs, tok, o);
  EXPECT_FALSE(rebuilt.loaded_from_cache());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("checksum mismatch"), std::string::npos) << messages[0];
  EXPECT_EQ(rebuilt.document(2), tok.encode("three"));

  std::filesystem::resize_file(path, size - 10);
  messages.clear();
  auto again = TokenizedDataset::build(docs, tok, o);
  EXPECT_FALSE(again.loaded_from_cache());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("bytes, expected"), std::string::npos) << messages[0];
  EXPECT_TRUE(TokenizedDataset::build(docs, tok, o).loaded_from_cache());
}

TEST(TokenizedDataset, WideVocabulariesUse32BitIds) {
  TempDir dir("wide");
  std::vector<int64_t> offsets = {0, 2, 3};
  std::vector<int32_t> tokens = {70000, 5, 123456};
  std::array<uint8_t, 32> key{};
  key[0] = 9;
  write_token_cache(dir.path() / "w.fgtok", key, 200000, offsets, tokens);
  TokenCache cache(dir.path() / "w.fgtok", key);
  EXPECT_EQ(cache.header().token_bytes, 4u);
  EXPECT_EQ(cache.token(0), 70000);
  EXPECT_EQ(cache.token(2), 123456);
  EXPECT_EQ(cache.doc_end(1), 3);
}

}  // namespace
}  // namespace fg::data

namespace fg::data {
namespace {

TEST(TokenCache, EveryFlippedByteIsDetected) {
  testing::TempDir dir("flip");
  std::vector<int64_t> offsets = {0, 3, 5};
  std::vector<int32_t> tokens = {0, 10, 11, 0, 12};
  std::array<uint8_t, 32> key{};
  key[3] = 1;
  auto path = dir.path() / "c.fgtok";
  write_token_cache(path, key, 2000, offsets, tokens);
  const auto size = static_cast<int64_t>(std::filesystem::file_size(path));
  std::string original;
  {
    std::ifstream in(path, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (int64_t at = 0; at < size; ++at) {
    std::string bad = original;
    bad[static_cast<size_t>(at)] = static_cast<char>(bad[static_cast<size_t>(at)] ^ 0x20);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
    EXPECT_THROW(TokenCache(path, key), IoError) << "flipped byte " << at << " was not detected";
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << original;
  EXPECT_EQ(TokenCache(path, key).token(4), 12);
}

// A cache directory ($FORGATHER_CACHE or cache_dir) that cannot hold the cache: an IoError
// naming the path, not a filesystem_error.
std::string cache_error(const std::filesystem::path& cache_dir) {
  tokenizer::ByteTokenizer tok;
  TokenizeOptions o;
  o.cache_dir = cache_dir;
  try {
    TokenizedDataset::build({"abc"}, tok, o);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(HostileTokenCache, CacheDirUnderAFile) {
  TempDir dir("cache_under_file");
  dir.write("file", "x");
  EXPECT_NE(cache_error(dir.path() / "file" / "cache").find("file' is a file"), std::string::npos);
}

TEST(HostileTokenCache, CacheDirThatIsAFile) {
  TempDir dir("cache_is_file");
  dir.write("file", "x");
  EXPECT_NE(cache_error(dir.path() / "file").find("cannot create cache directory"),
            std::string::npos);
}

TEST(HostileTokenCache, CacheDirUnderProc) {
  EXPECT_NE(cache_error("/proc/fg_cache").find("'/proc' does not allow creating entries"),
            std::string::npos);
}

}  // namespace
}  // namespace fg::data
