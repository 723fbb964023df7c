// hf_tokenizer_json: the tokenizer.json written for Hugging Face `tokenizers`. A small BPE
// encoder with the `tokenizers` semantics (lowest merge rank first, leftmost on ties, then
// byte fallback) runs the converted merges here and must give our ids; the Python test
// (tests/python/hf_export_test.py) checks the real library.
#include "tokenizer/hf_tokenizer_json.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>

#include "small_sentencepiece.h"
#include "test_corpus.h"
#include "tokenizer/tokenizer_trainer.h"

namespace fg::tokenizer {
namespace {

using nlohmann::json;

std::vector<std::string> utf8_chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Encodes already-NFC text as `tokenizers` would with this tokenizer.json, BOS first.
std::vector<int32_t> hf_bpe_encode(const json& tj, const std::string& text) {
  std::map<std::pair<std::string, std::string>, size_t> rank;
  const json& merges = tj["model"]["merges"];
  for (size_t r = 0; r < merges.size(); ++r) rank.emplace(std::pair{merges[r][0], merges[r][1]}, r);
  std::string spaced;
  for (char c : text) spaced += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
  std::vector<std::string> symbols = utf8_chars(spaced);
  while (true) {
    size_t best = symbols.size(), best_rank = SIZE_MAX;
    for (size_t i = 0; i + 1 < symbols.size(); ++i) {
      auto it = rank.find({symbols[i], symbols[i + 1]});
      if (it != rank.end() && it->second < best_rank) best = i, best_rank = it->second;
    }
    if (best == symbols.size()) break;
    symbols[best] += symbols[best + 1];
    symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  const json& vocab = tj["model"]["vocab"];
  std::vector<int32_t> ids = {0};
  for (const auto& s : symbols) {
    if (vocab.contains(s)) {
      ids.push_back(vocab[s].get<int32_t>());
      continue;
    }
    for (unsigned char byte : s)
      ids.push_back(vocab[fmt::format("<0x{:02X}>", byte)].get<int32_t>());
  }
  return ids;
}

TEST(HfTokenizerJson, MergesReproduceOurIdsOnRealText) {
  auto stories = testing::read_stories(testing::tinystories_dir() / "train.txt");
  std::vector<std::string> train(stories.begin(), stories.begin() + 300);
  auto tok = testing::small_sentencepiece(train);
  const json tj = hf_tokenizer_json(*tok);
  EXPECT_EQ(tj["model"]["type"], "BPE");
  EXPECT_TRUE(tj["model"]["byte_fallback"].get<bool>());
  EXPECT_EQ(tj["model"]["vocab"].size(), 600u);
  EXPECT_GT(tj["model"]["merges"].size(), 200u);
  EXPECT_EQ(tj["normalizer"]["normalizers"][0]["type"], "NFC");
  EXPECT_EQ(tj["post_processor"]["single"][0]["SpecialToken"]["id"], "<|BOS|>");
  // Held-out stories, plus characters the vocabulary lacks (byte fallback).
  std::vector<std::string> texts(stories.end() - 100, stories.end());
  texts.push_back("a dragon \xF0\x9F\x90\x89 named \xC3\x85sa  had 12345 coins");
  int64_t tokens = 0;
  for (const auto& text : texts) {
    const auto ours = tok->encode(text);
    ASSERT_EQ(hf_bpe_encode(tj, text), ours) << text;
    tokens += static_cast<int64_t>(ours.size());
  }
  EXPECT_GT(tokens, 1000);
}

TEST(HfTokenizerJson, ConfigNamesTheSpecialTokens) {
  auto tok = testing::small_sentencepiece(
      {"once upon a time there was a dragon", "the dragon read a story"});
  const json c = hf_tokenizer_config(*tok);
  EXPECT_EQ(c["tokenizer_class"], "PreTrainedTokenizerFast");
  EXPECT_EQ(c["bos_token"], "<|BOS|>");
  EXPECT_EQ(c["eos_token"], "<|EOS|>");
  EXPECT_EQ(c["pad_token"], "<|PAD|>");
  EXPECT_EQ(c["unk_token"], "<|UNK|>");
  EXPECT_TRUE(c["split_special_tokens"].get<bool>());
}

}  // namespace
}  // namespace fg::tokenizer
