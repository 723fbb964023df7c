// The tiny_2k acceptance test: train on the shared TinyStories sample, check the vocabulary and
// special ids, and require decode(encode(x)) == NFC(x) for every validation story.
#include <gtest/gtest.h>

#include <cstdio>

#include "core/timer.h"
#include "test_corpus.h"
#include "tokenizer/tokenizer_trainer.h"
#include "tokenizer/unicode.h"

namespace fg::tokenizer {
namespace {

TEST(Tiny2k, TrainsOnTinyStoriesAndRoundTripsEveryValidStory) {
  auto train = testing::read_stories(testing::tinystories_dir() / "train.txt");
  auto valid = testing::read_stories(testing::tinystories_dir() / "valid.txt");
  ASSERT_EQ(train.size(), 4800u);
  ASSERT_EQ(valid.size(), 240u);

  TrainTokenizerOptions options;  // vocab 2000, tiny_2k specials
  options.num_threads = 2;
  size_t next = 0;
  Timer timer;
  auto tok = train_sentencepiece(options, [&](std::string& doc) {
    if (next == train.size()) return false;
    doc = train[next++];
    return true;
  });
  double seconds = timer.seconds();
  EXPECT_LT(seconds, 60.0);
  EXPECT_EQ(tok->vocab_size(), 2000);
  EXPECT_EQ(tok->bos_id(), 0);
  EXPECT_EQ(tok->pad_id(), 1);
  EXPECT_EQ(tok->eos_id(), 2);
  EXPECT_EQ(tok->unk_id(), 3);
  EXPECT_EQ(tok->id_to_piece(2), "<|EOS|>");

  int64_t chars = 0;
  int64_t tokens = 0;
  for (const auto& story : valid) {
    auto ids = tok->encode(story);
    ASSERT_EQ(ids.front(), 0);
    ASSERT_NE(ids.back(), 2) << "EOS must not be appended by default";
    ASSERT_EQ(tok->decode(ids), nfc(story));
    tokens += static_cast<int64_t>(ids.size()) - 1;
    chars += static_cast<int64_t>(story.size());
  }
  double ratio = static_cast<double>(tokens) / static_cast<double>(chars);
  std::printf("[tiny_2k] trained in %.2f s; valid: %lld tokens / %lld chars = %.4f tokens/char\n",
              seconds, static_cast<long long>(tokens), static_cast<long long>(chars), ratio);
  EXPECT_LT(ratio, 0.35);  // BPE must actually compress (bytes alone would be 1.0)

  auto demo = tok->encode("once upon a time, there was a little dragon who loved to read stories.");
  EXPECT_LT(demo.size(), 30u);
}

}  // namespace
}  // namespace fg::tokenizer
