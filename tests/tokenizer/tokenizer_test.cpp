#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "test_corpus.h"
#include "tokenizer/byte_tokenizer.h"
#include "tokenizer/tokenizer_trainer.h"
#include "tokenizer/unicode.h"

namespace fg::tokenizer {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("fg_tok_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

DocumentFeed vector_feed(const std::vector<std::string>& docs) {
  auto index = std::make_shared<size_t>(0);
  return [&docs, index](std::string& doc) {
    if (*index >= docs.size()) return false;
    doc = docs[(*index)++];
    return true;
  };
}

std::vector<std::string> small_corpus() {
  auto stories = testing::read_stories(testing::tinystories_dir() / "train.txt");
  stories.resize(300);
  return stories;
}

TEST(Unicode, NfcComposesAndKeepsAscii) {
  EXPECT_EQ(nfc("e\xCC\x81"), "\xC3\xA9");  // e + combining acute -> é
  EXPECT_EQ(nfc("plain ascii\n"), "plain ascii\n");
  EXPECT_EQ(nfc("\xC3\xA9"), "\xC3\xA9");
}

TEST(Unicode, FindsInvalidUtf8Offset) {
  EXPECT_EQ(find_invalid_utf8("ok \xC3\xA9"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("abc\xFFxyz"), 3);
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2);           // overlong '/'
  EXPECT_EQ(find_invalid_utf8("a\xED\xA0\x80"), 1);        // surrogate
  EXPECT_EQ(find_invalid_utf8("truncated \xE2\x82"), 10);  // cut sequence
}

TEST(ByteTokenizer, RoundTripsAndUsesTiny2kSpecials) {
  ByteTokenizer tok;
  EXPECT_EQ(tok.vocab_size(), 260);
  EXPECT_EQ(tok.bos_id(), 0);
  EXPECT_EQ(tok.pad_id(), 1);
  EXPECT_EQ(tok.eos_id(), 2);
  EXPECT_EQ(tok.unk_id(), 3);
  std::string text = "once upon a time, caf\xC3\xA9!\n";
  auto ids = tok.encode(text);
  EXPECT_EQ(ids.front(), 0);
  EXPECT_EQ(ids[1], 4 + 'o');
  EXPECT_EQ(ids.size(), text.size() + 1);
  EXPECT_EQ(tok.decode(ids), text);
  auto with_eos = tok.encode("a", {.add_bos = true, .add_eos = true});
  EXPECT_EQ(with_eos, (std::vector<int32_t>{0, 4 + 'a', 2}));
  EXPECT_EQ(tok.decode(with_eos, {.skip_special_tokens = false}), "<|BOS|>a<|EOS|>");
}

TEST(ByteTokenizer, SavesAndLoads) {
  fs::path dir = temp_dir("byte");
  ByteTokenizer().save(dir);
  auto loaded = load_tokenizer(dir);
  EXPECT_EQ(loaded->vocab_size(), 260);
  EXPECT_EQ(loaded->decode(loaded->encode("hi")), "hi");
  fs::remove_all(dir);
}

TEST(SentencePieceTokenizer, SmallCorpusTrainsSavesLoadsAndRoundTrips) {
  auto docs = small_corpus();
  TrainTokenizerOptions options;
  options.vocab_size = 500;
  options.num_threads = 2;
  int64_t progress_calls = 0;
  options.on_progress = [&](const TrainProgress& p) {
    if (p.stage == "done") {
      EXPECT_EQ(p.documents, 300);
    }
    ++progress_calls;
  };
  auto tok = train_sentencepiece(options, vector_feed(docs));
  EXPECT_GE(progress_calls, 1);
  EXPECT_EQ(tok->vocab_size(), 500);
  EXPECT_EQ(tok->id_to_piece(0), "<|BOS|>");
  EXPECT_EQ(tok->id_to_piece(1), "<|PAD|>");
  EXPECT_EQ(tok->id_to_piece(2), "<|EOS|>");
  EXPECT_EQ(tok->id_to_piece(3), "<|UNK|>");
  EXPECT_EQ(tok->id_to_piece(4), "<0x00>");

  fs::path dir = temp_dir("sp_small");
  tok->save(dir);
  EXPECT_TRUE(fs::exists(dir / "tokenizer.model"));
  auto loaded = load_tokenizer(dir);
  EXPECT_EQ(loaded->config().model_max_length, 2048);
  EXPECT_EQ(loaded->config().padding_side, "right");
  EXPECT_EQ(loaded->fingerprint_material(), tok->fingerprint_material());

  // Text outside the training alphabet goes through byte fallback; whitespace is kept verbatim.
  std::vector<std::string> probes = {
      "  two  spaces\n\n\ttab ", "e\xCC\x81t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC 123",
      "<|EOS|> is text here", "",
      "\xE2\x96\x81marker \xE2\x96\x81\xE2\x96\x81 in text\xE2\x96\x81"};
  for (const auto& s : probes) {
    auto ids = loaded->encode(s);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids[0], 0);
    EXPECT_EQ(loaded->decode(ids), nfc(s)) << s;
    for (size_t i = 1; i < ids.size(); ++i) EXPECT_NE(ids[i], 3) << "unk in " << s;
  }
  for (const auto& s : docs) EXPECT_EQ(loaded->decode(loaded->encode(s)), s);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fg::tokenizer
