// Importing a Hugging Face tokenizer.json: a directory holding one loads through
// load_tokenizer(), encodes as `tokenizers` does (the Python test checks the real library on the
// TinyStories validation stories), saves and reloads; our own export imports back to our ids.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/timer.h"
#include "hf_import_fixture.h"
#include "small_sentencepiece.h"
#include "test_corpus.h"
#include "tokenizer/hf_tokenizer_json.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_trainer.h"
#include "tokenizer/unicode.h"

namespace fg::tokenizer {
namespace {

namespace fs = std::filesystem;
using Ids = std::vector<int32_t>;
using testing::byte_level_json;
using testing::write_text;

class HfImport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fg_hf_import_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // "Ġt" = 260, "he" = 261, "Ġthe" = 262; printable ASCII c is c - 29.
  static nlohmann::json the_json() {
    return byte_level_json({{"\xC4\xA0", "t"}, {"h", "e"}, {"\xC4\xA0t", "he"}});
  }
  std::unique_ptr<Tokenizer> load(const nlohmann::json& j) {
    write_text(dir_ / "tokenizer.json", j.dump());
    return load_tokenizer(dir_);
  }

  fs::path dir_;
};

TEST_F(HfImport, DirectoryWithTokenizerJsonLoadsAndEncodesAsTokenizers) {
  EXPECT_TRUE(holds_tokenizer(dir_) == false);
  auto tok = load(the_json());
  EXPECT_TRUE(holds_tokenizer(dir_));
  EXPECT_EQ(tok->vocab_size(), 263);
  EXPECT_EQ(tok->config().kind, kKindHfTokenizerJson);
  EXPECT_EQ(tok->encode("the the"), (Ids{0, 't' - 29, 261, 262}));
  EXPECT_EQ(tok->encode("the", {.add_bos = false}), (Ids{'t' - 29, 261}));
  // Special-token text in the input is the special token, as in `tokenizers`.
  EXPECT_EQ(tok->encode("<|EOS|>x"), (Ids{0, 2, 'x' - 29}));
  EXPECT_EQ(tok->decode(tok->encode("<|EOS|>x"), {.skip_special_tokens = false}),
            "<|BOS|><|EOS|>x");
  EXPECT_EQ(tok->id_to_piece(262), "\xC4\xA0the");
}

TEST_F(HfImport, DecodeRoundTripsAnyTextAfterNfc) {
  auto tok = load(the_json());
  for (std::string text : {"the then\n\n  x", "e\xCC\x81 caf\xC3\xA9 \xF0\x9F\x90\x89 12 ,.!",
                           "A\xCC\x8A", "\t tab "}) {
    EXPECT_EQ(tok->decode(tok->encode(text)), nfc(text)) << text;
  }
  // A lone lead byte is not UTF-8: it decodes to U+FFFD, as `tokenizers` does.
  int32_t lead = 0;
  while (tok->id_to_piece(lead) != "\xC3\x83") ++lead;  // the symbol of byte 0xC3
  EXPECT_EQ(tok->decode(Ids{lead, 'x' - 29}), "\xEF\xBF\xBDx");
}

TEST_F(HfImport, SavesAndReloadsAsOurKind) {
  auto tok = load(the_json());
  const fs::path saved = dir_ / "saved";
  tok->save(saved);
  EXPECT_TRUE(holds_forgather_config(saved));
  auto back = load_tokenizer(saved);
  EXPECT_EQ(back->config().kind, kKindHfTokenizerJson);
  EXPECT_EQ(back->encode("the the <|PAD|>"), tok->encode("the the <|PAD|>"));
  EXPECT_EQ(back->fingerprint_material(), tok->fingerprint_material());
  EXPECT_EQ(tokenizer_files(saved),
            (std::vector<std::string>{"tokenizer_config.json", "tokenizer.json"}));
}

TEST_F(HfImport, TransformersFilesBesideItAreRead) {
  write_text(dir_ / "tokenizer_config.json",
             R"({"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": {"content": "<|BOS|>"},
                 "pad_token": "<|PAD|>", "model_max_length": 512, "padding_side": "left",
                 "split_special_tokens": true})");
  write_text(dir_ / "special_tokens_map.json", R"({"eos_token": "<|EOS|>"})");
  auto tok = load(the_json());
  EXPECT_EQ(tok->model_max_length(), 512);
  EXPECT_EQ(tok->config().padding_side, "left");
  // split_special_tokens: "<|EOS|>" in the text is text.
  EXPECT_EQ(tok->encode("<|EOS|>", {.add_bos = false}).size(), 7u);
  EXPECT_EQ(tokenizer_files(dir_),
            (std::vector<std::string>{"tokenizer.json", "tokenizer_config.json",
                                      "special_tokens_map.json"}));
  // transformers' "no limit" (1e30) keeps our default.
  write_text(dir_ / "tokenizer_config.json", R"({"model_max_length": 1e30})");
  EXPECT_EQ(load(the_json())->model_max_length(), 2048);
}

// Our export (NFC + Replace normalizer, no pre-tokenizer, byte fallback, Replace/ByteFallback/
// Fuse decoder) imports back to exactly our ids and text.
TEST_F(HfImport, OurExportImportsBackToOurIds) {
  auto stories = testing::read_stories(testing::tinystories_dir() / "train.txt");
  auto valid = testing::read_stories(testing::tinystories_dir() / "valid.txt");
  auto sp = testing::small_sentencepiece({stories.begin(), stories.begin() + 300});
  write_text(dir_ / "tokenizer_config.json", hf_tokenizer_config(*sp).dump());
  auto imported = load(hf_tokenizer_json(*sp));
  ASSERT_EQ(imported->config().kind, kKindHfTokenizerJson);
  std::vector<std::string> texts = valid;
  texts.push_back("a dragon \xF0\x9F\x90\x89 named \xC3\x85sa  had 12345 coins <|EOS|>");
  texts.push_back("e\xCC\x81  \n\n\t");
  Timer ours_timer;
  std::vector<Ids> ours;
  for (const auto& t : texts) ours.push_back(sp->encode(t));
  const double ours_seconds = ours_timer.seconds();
  Timer imported_timer;
  std::vector<Ids> theirs;
  for (const auto& t : texts) theirs.push_back(imported->encode(t));
  const double imported_seconds = imported_timer.seconds();
  int64_t tokens = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(theirs[i], ours[i]) << texts[i];
    ASSERT_EQ(imported->decode(theirs[i]), sp->decode(ours[i])) << texts[i];
    tokens += static_cast<int64_t>(ours[i].size());
  }
  std::printf(
      "[hf import] %zu texts, %lld ids: SentencePiece %.3f s, imported tokenizer.json %.3f s\n",
      texts.size(), static_cast<long long>(tokens), ours_seconds, imported_seconds);
  EXPECT_LT(imported_seconds, 2.0);
}

}  // namespace
}  // namespace fg::tokenizer
