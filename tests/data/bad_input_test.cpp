// Bad inputs: each must raise an fg::Error whose message names the problem (and the file and
// line or byte offset where there is one). Nothing may crash.
#include <gtest/gtest.h>

#include "data/data_loader.h"
#include "data/download.h"
#include "data/synthetic_stories.h"
#include "data/text_source.h"
#include "data/tinystories.h"
#include "data/tokenized_dataset.h"
#include "data/tokenizer_build.h"
#include "test_util.h"
#include "tokenizer/byte_tokenizer.h"

namespace fg::data {
namespace {

using testing::expect_error;
using testing::TempDir;

DataSourceOptions source(const std::filesystem::path& p) {
  DataSourceOptions o;
  o.paths = {p.string()};
  return o;
}

TEST(BadInput, MissingFile) {
  expect_error([] { load_documents(source("/nonexistent/stories.txt")); },
               {"[DataSource]", "'/nonexistent/stories.txt' does not exist"});
}

TEST(BadInput, InvalidUtf8NamesFileLineAndOffset) {
  TempDir dir("utf8");
  auto f = dir.write("bad.txt", "good line\nsecond \xFF line\n<|endoftext|>\n");
  expect_error([&] { load_documents(source(f)); },
               {"bad.txt:2:", "invalid byte 0xFF", "byte offset 17"});
}

TEST(BadInput, EmptyDataset) {
  TempDir dir("empty");
  auto f = dir.write("empty.txt", "<|endoftext|>\n\n<|endoftext|>\n");
  expect_error([&] { load_documents(source(f)); },
               {"[DataSource]", "expected at least one document, found none", "empty.txt"});
  tokenizer::ByteTokenizer tok;
  expect_error([&] { TokenizedDataset::build({}, tok, {}); }, {"empty dataset"});
}

TEST(BadInput, VocabSmallerThanTheSpecials) {
  tokenizer::TrainTokenizerOptions o;
  o.vocab_size = 3;
  expect_error([&] { train_on_documents({"some text"}, o); },
               {"[TokenizerTrainer]", "vocab_size 3 is too small", "4 special tokens", "261"});
}

TEST(BadInput, JsonlLineWithoutTheField) {
  TempDir dir("field");
  auto f = dir.write("d.jsonl", "{\"text\": \"ok\"}\n{\"txt\": \"typo\"}\n");
  expect_error([&] { load_documents(source(f)); },
               {"d.jsonl:2:", "expected a field 'text'", "found only [txt]", "did you mean"});
}

TEST(BadInput, BadJson) {
  TempDir dir("json");
  auto f = dir.write("d.jsonl", "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n");
  expect_error([&] { load_documents(source(f)); }, {"d.jsonl:3:", "invalid JSON"});
  auto g = dir.write("e.jsonl", "[1, 2]\n");
  expect_error([&] { load_documents(source(g)); }, {"e.jsonl:1:", "found a JSON array"});
  auto h = dir.write("h.jsonl", "{\"text\": 42}\n");
  expect_error([&] { load_documents(source(h)); }, {"h.jsonl:1:", "to be a string, found number"});
}

TEST(BadInput, UnknownSplit) {
  expect_error([] { tinystories_source("trian[:10%]", {.local_dir = "/tmp"}); },
               {"[TinyStories]", "unknown split 'trian'", "did you mean 'train'"});
  expect_error([] { synthetic_split("test"); }, {"[SyntheticStories]", "unknown split 'test'"});
}

TEST(BadInput, BadSlice) {
  expect_error([] { parse_slice("[:ten%]"); }, {"[Slice]", "'[:ten%]'"});
  expect_error([] { parse_slice("[1:2:3]"); }, {"[Slice]", "exactly one ':'"});
  expect_error([] { parse_slice("[:150%]"); }, {"[Slice]", "0..100%"});
}

TEST(BadInput, CorruptCacheFileIsRefused) {
  TempDir dir("cachefile");
  auto f = dir.write("x.fgtok", std::string(200, 'x'));
  std::array<uint8_t, 32> key{};
  expect_error([&] { TokenCache c(f, key); }, {"[TokenCache]", "x.fgtok", "bad magic"});
  auto g = dir.write("y.fgtok", "short");
  expect_error([&] { TokenCache c(g, key); }, {"shorter than the 128-byte header"});
}

TEST(BadInput, BadUrl) {
  DownloadOptions d;
  d.url = "ftp://example.com/a.txt";
  expect_error([&] { fetch(d); }, {"[Download]", "http:// or https://", "ftp://example.com"});
  d.url = "http:///no-host";
  expect_error([&] { fetch(d); }, {"[Download]", "with a host"});
  d.url = "https://example.com/a.txt";
  d.sha256 = "abc";
  expect_error([&] { fetch(d); }, {"expected sha256 as 64 lowercase hex digits"});
}

TEST(BadInput, FailedTinyStoriesDownloadSaysHowToWorkWithoutIt) {
  TempDir dir("no_network");
  DataSourceOptions o = tinystories_source("validation", {.cache_dir = dir.path()});
  o.paths = {"http://127.0.0.1:1/TinyStories-valid.txt"};  // connection refused: as no network
  expect_error([&] { load_documents(o); }, {"[Download]", "127.0.0.1:1", "FORGATHER_TINYSTORIES",
                                            "FORGATHER_DATASET=synthetic"});
}

TEST(BadInput, OfflineWithNothingCachedSaysWhatToDownload) {
  TempDir dir("offline");
  expect_error([&] { tinystories_source("train", {.cache_dir = dir.path(), .offline = true}); },
               {"[TinyStories]", "offline", "TinyStories-train.txt", "save it as",
                (dir.path() / "downloads").string(), "FORGATHER_TINYSTORIES"});
  DownloadOptions d;
  d.url = "https://example.com/data/stories.jsonl";
  d.cache_dir = dir.path();
  d.offline = true;
  expect_error([&] { fetch(d); },
               {"offline", "download https://example.com/data/stories.jsonl yourself",
                (dir.path() / "downloads" / "stories.jsonl").string()});
}

TEST(BadInput, GlobMatchingNothingAndEmptyDirectory) {
  TempDir dir("glob");
  expect_error([&] { load_documents(source(dir.path() / "*.jsonl")); },
               {"[DataSource]", "matched no files"});
  expect_error([&] { load_documents(source(dir.path())); }, {"holds no .txt, .jsonl or .json"});
}

TEST(BadInput, UnknownFormatAndMode) {
  expect_error([] { parse_text_format("jsnl"); }, {"unknown text format 'jsnl'", "did you mean"});
  expect_error([] { parse_sample_mode("pack"); }, {"unknown mode 'pack'", "did you mean 'packed'"});
}

TEST(BadInput, TokenizerDirectoryProblems) {
  TempDir dir("tokdir");
  expect_error([&] { tokenizer::load_tokenizer(dir.path()); },
               {"[TokenizerConfig]", "tokenizer_config.json", "does not exist"});
  dir.write("tokenizer_config.json", "{not json");
  expect_error([&] { tokenizer::load_tokenizer(dir.path()); }, {"invalid JSON"});
  dir.write("tokenizer_config.json",
            R"({"tokenizer_kind": "sentencepiece_bpe", "vocab_size": 10, "bos_token": "<s>",
                "pad_token": "<p>", "eos_token": "</s>", "unk_token": "<u>",
                "special_token_ids": {"bos": 0, "pad": 1, "eos": 2, "unk": 3}})");
  expect_error([&] { tokenizer::load_tokenizer(dir.path()); },
               {"[SentencePieceTokenizer]", "tokenizer.model", "does not exist"});
  dir.write("tokenizer.model", "garbage bytes");
  expect_error([&] { tokenizer::load_tokenizer(dir.path()); },
               {"[SentencePieceTokenizer]", "expected a valid SentencePiece model"});
}

TEST(BadInput, InvalidUtf8GivenToTheTokenizer) {
  tokenizer::ByteTokenizer tok;
  expect_error([&] { tok.encode("abc\xC3("); }, {"[UTF-8]", "tokenizer input", "byte offset 3"});
  expect_error([&] { tok.decode(std::vector<int32_t>{0, 999}); }, {"[Tokenizer]", "got 999"});
}

TEST(BadInput, EmptyTrainingCorpus) {
  tokenizer::TrainTokenizerOptions o;
  expect_error([&] { train_on_documents({}, o); }, {"[TokenizerTrainer]", "0 documents"});
  expect_error([&] { train_on_documents({"", ""}, o); }, {"all 2 documents were empty"});
}

TEST(BadInput, LoaderPositionFromAnotherLoader) {
  TempDir dir("pos");
  tokenizer::ByteTokenizer tok;
  TokenizeOptions t;
  t.cache_dir = dir.path();
  auto ds = TokenizedDataset::build({"a", "b", "c"}, tok, t);
  SampleSet s(ds, {});
  DataLoader loader(s, Collator({}), {.batch_size = 2});
  LoaderPosition p = loader.position();
  p.batch_size = 3;
  expect_error([&] { loader.set_position(p); }, {"[DataLoader]", "batch 3", "batch 2"});
  expect_error([&] { LoaderPosition::from_json("{\"epoch\": 1}"); }, {"[DataLoader]", "index"});
  expect_error([&] { LoaderPosition::from_json("nope"); }, {"expected a JSON object"});
  expect_error([&] { DataLoader l(s, Collator({}), {.batch_size = 0}); }, {"batch_size > 0"});
}

}  // namespace
}  // namespace fg::data

namespace fg::data {
namespace {

TEST(BadInput, SamplingAndCollatingNothing) {
  TempDir dir("nosamples");
  tokenizer::ByteTokenizer tok;
  TokenizeOptions t;
  t.cache_dir = dir.path();
  auto ds = TokenizedDataset::build({"ab", "cd"}, tok, t);
  SampleOptions s;
  s.min_len = 50;
  expect_error([&] { SampleSet set(ds, s); },
               {"[SampleSet]", "expected at least one sample from 2 documents", "min_len (50)"});
  s = {};
  s.mode = SampleMode::kPacked;
  s.block_size = 4;
  s.stride = 4;
  expect_error([&] { SampleSet set(ds, s); }, {"[SampleOptions]", "stride < block_size (4)"});
  Collator c({});
  expect_error([&] { c(std::span<const Sample>{}); }, {"[Collator]", "at least one sample"});
  DataSourceOptions none;
  expect_error([&] { load_documents(none); }, {"[DataSource]", "at least one path"});
}

TEST(BadInput, TokenizerConfigWithWrongTypesOrIds) {
  TempDir dir("tokcfg");
  dir.write("tokenizer_config.json",
            R"({"tokenizer_kind": "byte_level", "vocab_size": "many", "bos_token": "<s>"})");
  expect_error([&] { tokenizer::load_tokenizer(dir.path()); },
               {"[TokenizerConfig]", "'vocab_size' has the wrong type"});
  dir.write("tokenizer_config.json",
            R"({"tokenizer_kind": "byte_level", "vocab_size": 260, "bos_token": "a",
                "pad_token": "b", "eos_token": "c", "unk_token": "d",
                "special_token_ids": {"bos": 0, "pad": 0, "eos": 2, "unk": 3}})");
  expect_error([&] { tokenizer::load_tokenizer(dir.path()); },
               {"[SpecialTokens]", "0..3 in some order", "tokenizer_config.json"});
}

}  // namespace
}  // namespace fg::data
