// BpeModel: `tokenizers`' merge order, byte fallback, unknown tokens, and bad merges.
#include "tokenizer/bpe_model.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace fg::tokenizer {
namespace {

using Ids = std::vector<int32_t>;

Ids encode(const BpeModel& m, std::string_view word) {
  Ids out;
  m.encode_word(word, out);
  return out;
}

PieceIds abc_vocab() {
  return {{"a", 0}, {"b", 1}, {"c", 2}, {"ab", 3}, {"bc", 4}, {"abc", 5}, {"aa", 6}, {"<U>", 7}};
}

TEST(BpeModel, LowestRankMergesFirst) {
  BpeModel m(abc_vocab(), {{"b", "c"}, {"a", "b"}, {"a", "bc"}}, {}, "test");
  // (b,c) outranks (a,b), so b+c first, then a+bc.
  EXPECT_EQ(encode(m, "abc"), (Ids{5}));
  BpeModel n(abc_vocab(), {{"a", "b"}, {"b", "c"}}, {}, "test");
  EXPECT_EQ(encode(n, "abc"), (Ids{3, 2}));  // ab first; then (ab,c) is no merge
}

TEST(BpeModel, LeftmostPairWinsAmongEqualRanks) {
  BpeModel m(abc_vocab(), {{"a", "a"}}, {}, "test");
  EXPECT_EQ(encode(m, "aaa"), (Ids{6, 0}));
  EXPECT_EQ(encode(m, "aaaa"), (Ids{6, 6}));
}

TEST(BpeModel, ByteFallbackThenUnknown) {
  PieceIds vocab = abc_vocab();
  vocab.emplace("<0xC3>", 8);
  vocab.emplace("<0xA9>", 9);
  BpeModel::Options o;
  o.byte_fallback = true;
  o.unk_token = "<U>";
  o.fuse_unk = true;
  BpeModel m(vocab, {}, o, "test");
  EXPECT_EQ(encode(m, "a\xC3\xA9"), (Ids{0, 8, 9}));  // é as its two byte pieces
  EXPECT_EQ(encode(m, "axyb"), (Ids{0, 7, 1}));       // x and y fuse into one unknown
  o.fuse_unk = false;
  BpeModel unfused(vocab, {}, o, "test");
  EXPECT_EQ(encode(unfused, "axyb"), (Ids{0, 7, 7, 1}));
}

TEST(BpeModel, WithoutUnknownTokenAMissingCharacterIsDropped) {
  BpeModel m(abc_vocab(), {}, {}, "test");  // what `tokenizers` does
  EXPECT_EQ(encode(m, "axb"), (Ids{0, 1}));
}

TEST(BpeModel, IgnoreMergesTakesAWholeWordFromTheVocabulary) {
  BpeModel::Options o;
  o.ignore_merges = true;
  BpeModel m(abc_vocab(), {{"a", "b"}}, o, "test");
  EXPECT_EQ(encode(m, "abc"), (Ids{5}));
}

void expect_error(const std::function<void()>& build, const std::string& needle) {
  try {
    build();
    FAIL() << "expected an error containing " << needle;
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(HostileBpeModel, MergeNamingMissingPieceNamesTheMerge) {
  expect_error(
      [] {
        BpeModel(abc_vocab(), {{"a", "b"}, {"a", "z"}}, {}, "tok.json");
      },
      "tok.json: model.merges[1]: the right piece \"z\" is not in model.vocab");
  expect_error(
      [] {
        BpeModel(abc_vocab(), {{"c", "a"}}, {}, "tok.json");
      },
      "the merged piece \"ca\"");
}

TEST(HostileBpeModel, RepeatedMergeAndUnknownUnkAreErrors) {
  expect_error(
      [] {
        BpeModel(abc_vocab(), {{"a", "b"}, {"b", "c"}, {"a", "b"}}, {}, "t");
      },
      "model.merges[2]: the pair \"a\" \"b\" appears twice");
  BpeModel::Options o;
  o.unk_token = "<missing>";
  expect_error([&] { BpeModel(abc_vocab(), {}, o, "t"); }, "model.unk_token \"<missing>\"");
}

}  // namespace
}  // namespace fg::tokenizer
