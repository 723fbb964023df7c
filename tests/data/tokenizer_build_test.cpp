#include "data/tokenizer_build.h"

#include <gtest/gtest.h>

#include <fstream>

#include "data/synthetic_stories.h"
#include "data/tinystories.h"
#include "test_util.h"
#include "tokenizer/hf_tokenizer_json.h"

namespace fg::data {
namespace {

using testing::TempDir;

TEST(LoadOrTrain, TrainsWithAMessageOnceThenLoads) {
  TempDir dir("lot");
  std::string corpus;
  for (const auto& s : synthetic_stories({.seed = 9, .first = 0, .count = 150}))
    corpus += s + "\n<|endoftext|>\n";
  auto file = dir.write("corpus.txt", corpus);
  LoadOrTrainOptions o;
  o.dir = dir.path() / "tokenizers" / "tiny_350";
  o.train.vocab_size = 350;
  o.train.num_threads = 1;
  o.source.paths = {file.string()};
  std::vector<std::string> messages;
  o.on_message = [&](const std::string& m) { messages.push_back(m); };
  auto first = load_or_train(o);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("has not been trained yet; training it (vocab 350)"),
            std::string::npos);
  EXPECT_EQ(first->vocab_size(), 350);
  messages.clear();
  o.source.paths = {"/nonexistent"};  // not read again: the saved tokenizer is loaded
  auto second = load_or_train(o);
  EXPECT_TRUE(messages.empty());
  EXPECT_EQ(second->fingerprint_material(), first->fingerprint_material());

  // A directory holding a Hugging Face tokenizer.json (here our own export) is loaded too.
  const auto& sp = dynamic_cast<const tokenizer::SentencePieceTokenizer&>(*first);
  o.dir = dir.path() / "tokenizers" / "from_hf";
  std::filesystem::create_directories(o.dir);
  std::ofstream(o.dir / "tokenizer.json") << tokenizer::hf_tokenizer_json(sp).dump();
  auto imported = load_or_train(o);
  EXPECT_TRUE(messages.empty());
  EXPECT_EQ(imported->config().kind, tokenizer::kKindHfTokenizerJson);
  EXPECT_EQ(imported->encode("once upon a time"), first->encode("once upon a time"));
}

TEST(TinyStoriesLookup, LocalFolderNamesThenTheDownloadCache) {
  TempDir dir("ts");
  dir.write("local/TinyStoriesV2-GPT4-train.txt", "a story\n<|endoftext|>\n");
  dir.write("local/valid.txt", "v1\n<|endoftext|>\nv2\n<|endoftext|>\nv3\n<|endoftext|>\n");
  TinyStoriesOptions o;
  o.local_dir = dir.path() / "local";
  auto train = tinystories_source("train", o);
  EXPECT_EQ(train.paths,
            std::vector<std::string>{(o.local_dir / "TinyStoriesV2-GPT4-train.txt").string()});
  EXPECT_EQ(load_documents(tinystories_source("valid[1:]", o)),
            (std::vector<std::string>{"v2", "v3"}));

  // Without a local folder, a file already in the download cache is used offline.
  TinyStoriesOptions cached;
  cached.cache_dir = dir.path() / "cache";
  cached.offline = true;
  dir.write("cache/downloads/TinyStories-valid.txt", "c1\n<|endoftext|>\nc2\n<|endoftext|>\n");
  EXPECT_EQ(load_documents(tinystories_source("validation[:1]", cached)),
            std::vector<std::string>{"c1"});
}

}  // namespace
}  // namespace fg::data

namespace fg::data {
namespace {

TEST(TinyStoriesLookup, AbridgedSplitsFollowTheOriginal) {
  testing::TempDir dir("abridged");
  std::string valid;
  for (int i = 0; i < 520; ++i) valid += "story " + std::to_string(i) + "\n<|endoftext|>\n";
  dir.write("valid.txt", valid);
  std::string train;
  for (int i = 0; i < 95; ++i) train += "t" + std::to_string(i) + "\n<|endoftext|>\n";
  dir.write("train.txt", train);
  TinyStoriesOptions o;
  o.local_dir = dir.path();
  auto t = load_documents(tinystories_source(TinyStoriesAbridged::kTrain, o));
  EXPECT_EQ(t.size(), 9u);  // floor(10% of 95), the first ones in file order
  EXPECT_EQ(t.front(), "t0");
  EXPECT_EQ(load_documents(tinystories_source(TinyStoriesAbridged::kEval, o)).size(), 500u);
  auto test = load_documents(tinystories_source(TinyStoriesAbridged::kTest, o));
  ASSERT_EQ(test.size(), 20u);
  EXPECT_EQ(test.front(), "story 500");
}

}  // namespace
}  // namespace fg::data
