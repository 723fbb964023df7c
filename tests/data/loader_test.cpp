#include "data/data_loader.h"

#include <gtest/gtest.h>

#include <set>

#include "test_util.h"
#include "tokenizer/byte_tokenizer.h"

namespace fg::data {
namespace {

using testing::TempDir;

struct Fixture {
  TempDir dir{"loader"};
  tokenizer::ByteTokenizer tok;
  TokenizedDataset ds;
  explicit Fixture(int64_t n, bool eos = false) : ds(make(n, eos)) {}
  TokenizedDataset make(int64_t n, bool eos) {
    std::vector<std::string> docs;
    for (int64_t i = 0; i < n; ++i)
      docs.push_back(std::string(static_cast<size_t>(1 + i % 7), 'a' + i % 26));
    TokenizeOptions o;
    o.cache_dir = dir.path();
    o.add_eos = eos;
    return TokenizedDataset::build(docs, tok, o);
  }
};

TEST(Samples, TruncatesPerDocument) {
  Fixture f(10);
  SampleSet s(f.ds, {.mode = SampleMode::kTruncate, .max_length = 4});
  ASSERT_EQ(s.size(), 10);
  EXPECT_EQ(s.get(0).input_ids, (std::vector<int64_t>{0, 4 + 'a'}));
  EXPECT_EQ(s.get(6).input_ids.size(), 4u);  // 1 + 7 tokens cut to 4
  EXPECT_TRUE(s.get(6).position_ids.empty());
}

TEST(Samples, PacksTheStreamAndRestartsPositions) {
  Fixture f(3, /*eos=*/true);  // docs: [0 a 2] [0 b b 2] [0 c c c 2] = 12 tokens
  SampleSet s(f.ds, {.mode = SampleMode::kPacked, .block_size = 5});
  ASSERT_EQ(s.size(), 3);  // 5 + 5 + 2
  Sample b0 = s.get(0);
  EXPECT_EQ(b0.input_ids, (std::vector<int64_t>{0, 4 + 'a', 2, 0, 4 + 'b'}));
  EXPECT_EQ(b0.position_ids, (std::vector<int64_t>{0, 1, 2, 0, 1}));
  EXPECT_EQ(s.get(1).position_ids, (std::vector<int64_t>{0, 1, 0, 1, 2}));  // block starts mid-doc
  SampleSet blocks(f.ds, {.mode = SampleMode::kBlocks, .block_size = 2, .min_len = 2});
  EXPECT_EQ(blocks.size(), 1 + 2 + 2);  // [0 a] | [0 b][b 2] | [0 c][c c] (the lone 2 is dropped)
  SampleSet strided(f.ds, {.mode = SampleMode::kBlocks, .block_size = 4, .stride = 2});
  EXPECT_EQ(strided.get(2).input_ids, (std::vector<int64_t>{0, 4 + 'c', 4 + 'c', 4 + 'c'}));
  EXPECT_EQ(strided.get(3).input_ids, (std::vector<int64_t>{4 + 'c', 4 + 'c', 2}));
}

TEST(Collator, PadsRightMasksLabelsAndTruncates) {
  Collator c({.pad_id = 1});
  std::vector<Sample> s = {{{0, 5, 6}, {}}, {{0, 7}, {}}};
  Batch b = c(s);
  EXPECT_EQ(b.batch, 2);
  EXPECT_EQ(b.seq, 3);
  EXPECT_EQ(b.input_ids, (std::vector<int64_t>{0, 5, 6, 0, 7, 1}));
  EXPECT_EQ(b.labels, (std::vector<int64_t>{0, 5, 6, 0, 7, -100}));
  EXPECT_EQ(b.attention_mask, (std::vector<int64_t>{1, 1, 1, 1, 1, 0}));
  Collator cut({.pad_id = 1, .truncation = true, .max_length = 2});
  Batch t = cut(s);
  EXPECT_EQ(t.seq, 2);
  EXPECT_EQ(t.input_ids, (std::vector<int64_t>{0, 5, 0, 7}));
}

std::vector<std::vector<int64_t>> drain(DataLoader& loader) {
  std::vector<std::vector<int64_t>> out;
  while (auto b = loader.next()) out.push_back(b->input_ids);
  return out;
}

TEST(DataLoader, SequentialByDefaultWithPartialLastBatch) {
  Fixture f(10);
  SampleSet s(f.ds, {});
  DataLoader loader(s, Collator({}), {.batch_size = 4});
  EXPECT_EQ(loader.batches_per_epoch(), 3);
  auto first = loader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->batch, 4);
  EXPECT_EQ(first->input_ids[1], 4 + 'a');  // sample 0 first
  loader.next();
  EXPECT_EQ(loader.next()->batch, 2);
  EXPECT_FALSE(loader.next());
  EXPECT_EQ(loader.epoch(), 1);
}

TEST(DataLoader, ShufflesPerEpochFromTheSeed) {
  Fixture f(50);
  SampleSet s(f.ds, {});
  DataLoaderOptions o{.batch_size = 5, .shuffle = true, .seed = 3};
  DataLoader a(s, Collator({}), o), b(s, Collator({}), o);
  auto a0 = drain(a), b0 = drain(b);
  EXPECT_EQ(a0, b0);
  auto a1 = drain(a);
  EXPECT_NE(a0, a1);  // a new order each epoch
  o.seed = 4;
  DataLoader c(s, Collator({}), o);
  EXPECT_NE(drain(c), a0);
}

TEST(DataLoader, RestoringAPositionMidEpochGivesTheSameBatches) {
  Fixture f(37);
  SampleSet s(f.ds, {});
  DataLoaderOptions o{.batch_size = 4, .shuffle = true, .seed = 11};
  DataLoader loader(s, Collator({}), o);
  drain(loader);  // epoch 0
  for (int i = 0; i < 3; ++i) loader.next();
  std::string saved = loader.position().to_json();
  auto expected = drain(loader);
  auto next_epoch = drain(loader);

  DataLoader resumed(s, Collator({}), o);
  resumed.set_position(LoaderPosition::from_json(saved));
  EXPECT_EQ(resumed.position().epoch, 1);
  EXPECT_EQ(resumed.position().index, 3);
  EXPECT_EQ(drain(resumed), expected);
  EXPECT_EQ(drain(resumed), next_epoch);
}

TEST(DataLoader, ShardsCoverEverySampleOnce) {
  Fixture f(20);
  SampleSet s(f.ds, {.mode = SampleMode::kTruncate, .max_length = 0});
  std::multiset<int64_t> seen;
  for (int64_t rank = 0; rank < 4; ++rank) {
    DataLoader l(s, Collator({}),
                 {.batch_size = 1, .shuffle = true, .seed = 5, .rank = rank, .world_size = 4});
    EXPECT_EQ(l.batches_per_epoch(), 5);
    while (auto b = l.next()) seen.insert(b->input_ids[1] * 100 + b->seq);
  }
  EXPECT_EQ(seen.size(), 20u);
  // Each of the 20 documents (letter, length) appears exactly once across the ranks.
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 20u);
}

}  // namespace
}  // namespace fg::data
