// The byte-level alphabet, the GPT-2 split (as the regular expression splits) and lossy UTF-8.
#include "tokenizer/byte_level.h"

#include <gtest/gtest.h>

#include <set>

namespace fg::tokenizer::byte_level {
namespace {

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  gpt2_split(text, [&](std::string_view piece) { out.emplace_back(piece); });
  return out;
}

using Pieces = std::vector<std::string>;

TEST(ByteLevel, AlphabetMatchesGpt2) {
  const auto& s = byte_symbols();
  EXPECT_EQ(s['A'], "A");
  EXPECT_EQ(s[' '], "\xC4\xA0");   // U+0120 "Ġ"
  EXPECT_EQ(s['\n'], "\xC4\x8A");  // U+010A "Ċ"
  EXPECT_EQ(s[0xAD], "\xC5\x83");  // U+0143: the last byte that does not stand for itself
  EXPECT_EQ(s[0xE9], "\xC3\xA9");  // printable Latin-1 stands for itself
  EXPECT_EQ(std::set<std::string>(s.begin(), s.end()).size(), 256u);
}

TEST(ByteLevel, EveryByteRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string symbols, bytes;
  append_symbols(all, symbols);
  ASSERT_TRUE(append_bytes(symbols, bytes));
  EXPECT_EQ(bytes, all);
}

TEST(ByteLevel, SymbolOutsideTheAlphabetIsRefusedWithoutOutput) {
  std::string out = "kept";
  EXPECT_FALSE(append_bytes("ab\xE2\x82\xAC", out));  // U+20AC is no byte's symbol
  EXPECT_EQ(out, "kept");
}

TEST(Gpt2Split, WordsTakeTheSpaceBeforeThem) {
  EXPECT_EQ(split("Hello world"), (Pieces{"Hello", " world"}));
  EXPECT_EQ(split("hi!!! 123 ,x"), (Pieces{"hi", "!!!", " 123", " ,", "x"}));
}

TEST(Gpt2Split, ContractionsAreCaseSensitive) {
  EXPECT_EQ(split("don't they're"), (Pieces{"don", "'t", " they", "'re"}));
  EXPECT_EQ(split("'S ''s"), (Pieces{"'", "S", " ''", "s"}));
}

TEST(Gpt2Split, WhitespaceRunLeavesItsLastCharacterToTheNextWord) {
  EXPECT_EQ(split("a  b"), (Pieces{"a", " ", " b"}));
  EXPECT_EQ(split("a\n\nb"), (Pieces{"a", "\n", "\n", "b"}));
  EXPECT_EQ(split("a   "), (Pieces{"a", "   "}));  // at the end the whole run
  EXPECT_EQ(split("a \n b"), (Pieces{"a", " \n", " b"}));
}

TEST(Gpt2Split, UsesUnicodeClasses) {
  // é is a letter, Arabic-Indic digits and ½ are numbers, NBSP is whitespace but not " ".
  EXPECT_EQ(split("caf\xC3\xA9 \xD9\xA1\xD9\xA2 \xC2\xBD"),
            (Pieces{"caf\xC3\xA9", " \xD9\xA1\xD9\xA2", " \xC2\xBD"}));
  EXPECT_EQ(split("\xC2\xA0x"), (Pieces{"\xC2\xA0", "x"}));
  // A combining mark (category M) is not a letter: it splits from the letters before it.
  EXPECT_EQ(split("e\xCC\x81x"), (Pieces{"e", "\xCC\x81", "x"}));
}

TEST(Utf8Lossy, ReplacesEachMaximalBadSequence) {
  EXPECT_EQ(utf8_lossy("a\xFF"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf8_lossy("\xF0\x9F\x90"), "\xEF\xBF\xBD");  // a truncated 4-byte sequence
  EXPECT_EQ(utf8_lossy("\xF0\x9F\x90\x89"), "\xF0\x9F\x90\x89");
  EXPECT_EQ(utf8_lossy("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong: two bad bytes
}

}  // namespace
}  // namespace fg::tokenizer::byte_level
