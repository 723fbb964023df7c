// Hostile tokenizer.json files: each is an fg::IoError that names the file and the JSON key,
// never a crash or a tokenizer that silently encodes differently from `tokenizers`.
#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "hf_import_fixture.h"
#include "tokenizer/tokenizer.h"

namespace fg::tokenizer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::write_text;

struct HostileCase {
  const char* name;
  std::function<void(json&)> mutate;
  const char* message;  // a part of the expected error
};

json base_json() {
  return testing::byte_level_json({{"\xC4\xA0", "t"}, {"h", "e"}, {"\xC4\xA0t", "he"}});
}

class HostileHfImport : public ::testing::TestWithParam<HostileCase> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fg_hf_hostile_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void expect_error(const std::string& text, const std::string& message) {
    write_text(dir_ / "tokenizer.json", text);
    try {
      load_tokenizer(dir_);
      FAIL() << "expected an error containing: " << message;
    } catch (const IoError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find((dir_ / "tokenizer.json").string()), std::string::npos) << what;
      EXPECT_NE(what.find(message), std::string::npos) << what;
    }
  }

  void expect_error_from_load(const std::string& message) {
    try {
      load_tokenizer(dir_);
      FAIL() << "expected an error containing: " << message;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }

  fs::path dir_;
};

TEST_P(HostileHfImport, IsAnIoErrorNamingFileAndKey) {
  json j = base_json();
  GetParam().mutate(j);
  expect_error(j.dump(), GetParam().message);
}

const HostileCase kCases[] = {
    {"HugeVocabId", [](json& j) { j["model"]["vocab"]["a"] = 1e12; },
     "model.vocab[\"a\"]: expected a token id in [0, 263)"},
    {"HugeIntegerId", [](json& j) { j["model"]["vocab"]["a"] = int64_t{1} << 40; },
     "model.vocab[\"a\"]"},
    {"NegativeId", [](json& j) { j["model"]["vocab"]["a"] = -1; }, "model.vocab[\"a\"]"},
    {"DuplicateId", [](json& j) { j["model"]["vocab"]["a"] = j["model"]["vocab"]["b"]; },
     "duplicate id"},
    {"StringId", [](json& j) { j["model"]["vocab"]["a"] = "7"; }, "model.vocab[\"a\"]"},
    {"MergeNamesMissingToken", [](json& j) { j["model"]["merges"].push_back("\xC4\xA0 zz"); },
     "model.merges[3]: the right piece \"zz\" is not in model.vocab"},
    {"MergeOfThreeParts", [](json& j) { j["model"]["merges"].push_back("a b c"); },
     "model.merges[3]: expected \"left right\" with one space"},
    {"MergeNotAString", [](json& j) { j["model"]["merges"].push_back(5); },
     "model.merges[3]: expected"},
    {"RepeatedMerge", [](json& j) { j["model"]["merges"].push_back("h e"); }, "appears twice"},
    {"UnsupportedNormalizer",
     [](json& j) {
       j["normalizer"] = {{"type", "NFKC"}};
     },
     "normalizer.type: unsupported value \"NFKC\""},
    {"RegexReplace",
     [](json& j) {
       j["normalizer"] = {{"type", "Replace"}, {"pattern", {{"Regex", "\\s+"}}}, {"content", " "}};
     },
     "normalizer.pattern: unsupported value"},
    {"UnsupportedPreTokenizer",
     [](json& j) {
       j["pre_tokenizer"] = {{"type", "Whitespace"}};
     },
     "pre_tokenizer.type: unsupported value \"Whitespace\""},
    {"UnknownPreTokenizerKey", [](json& j) { j["pre_tokenizer"]["prepend_scheme"] = "first"; },
     "pre_tokenizer.prepend_scheme: unsupported key"},
    {"NestedUnsupportedPreTokenizer",
     [](json& j) {
       j["pre_tokenizer"] = {{"type", "Sequence"},
                             {"pretokenizers", {j["pre_tokenizer"], {{"type", "Digits"}}}}};
     },
     "pre_tokenizer.pretokenizers[1].type"},
    {"WordPieceModel", [](json& j) { j["model"]["type"] = "WordPiece"; }, "model.type"},
    {"Dropout", [](json& j) { j["model"]["dropout"] = 0.1; }, "model.dropout"},
    {"SubwordPrefix", [](json& j) { j["model"]["continuing_subword_prefix"] = "##"; },
     "model.continuing_subword_prefix"},
    {"UnkNotInVocab", [](json& j) { j["model"]["unk_token"] = "<unk>"; },
     "model.unk_token \"<unk>\""},
    {"LstripAddedToken", [](json& j) { j["added_tokens"][0]["lstrip"] = true; },
     "added_tokens[0].lstrip: true is not supported"},
    {"AddedTokenIdDisagrees", [](json& j) { j["added_tokens"][1]["id"] = 2; },
     "added_tokens[1].id"},
    {"Truncation",
     [](json& j) {
       j["truncation"] = {{"max_length", 8}};
     },
     "truncation: expected null"},
    {"UnknownTopLevelKey", [](json& j) { j["extras"] = 1; }, "(top level).extras: unsupported key"},
    {"WordPieceDecoder",
     [](json& j) {
       j["decoder"] = {{"type", "WordPiece"}};
     },
     "decoder.type"},
    {"BertPostProcessor",
     [](json& j) {
       j["post_processor"] = {{"type", "BertProcessing"}};
     },
     "post_processor.type"},
    {"TwoSpecialsBeforeText",
     [](json& j) {
       auto& single = j["post_processor"]["single"];
       single.insert(single.begin(), single[0]);
     },
     "at most one special token on each side"},
    {"TemplateIdOutOfRange",
     [](json& j) { j["post_processor"]["special_tokens"]["<|BOS|>"]["ids"] = {99999}; },
     "post_processor.special_tokens.<|BOS|>.ids[0]"},
    {"BosNotAtTheFront",
     [](json& j) { j["post_processor"]["special_tokens"]["<|BOS|>"]["ids"] = {7}; },
     "Forgather needs bos, pad, eos and unk at ids 0..3"},
    {"NoPadToken",
     [](json& j) {
       j["added_tokens"][1]["content"] = "<|XYZ|>";
       j["model"]["vocab"].erase("<|PAD|>");
       j["model"]["vocab"]["<|XYZ|>"] = 1;
     },
     "cannot tell which token is pad"},
    {"ModelNotAnObject", [](json& j) { j["model"] = json::array(); }, "model: expected an object"},
    {"VocabNotAnObject", [](json& j) { j["model"]["vocab"] = json::array(); },
     "model.vocab: expected an object"},
};

INSTANTIATE_TEST_SUITE_P(All, HostileHfImport, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(HostileHfImport, BadUtf8IsAnErrorNamingTheFile) {
  std::string text = base_json().dump();
  text.replace(text.find("<|BOS|>"), 1, "\xFF");
  expect_error(text, "invalid JSON");
}

TEST_F(HostileHfImport, DeepNestingIsRefusedBeforeParsing) {
  expect_error(std::string(100000, '[') + std::string(100000, ']'), "nesting too deep");
}

TEST_F(HostileHfImport, NotAnObjectAndEmpty) {
  expect_error("[1, 2]", "expected a JSON object");
  expect_error("", "invalid JSON");
}

TEST_F(HostileHfImport, SymlinksOutOfTheDirectoryAreRefused) {
  const fs::path outside = dir_.parent_path() / ("fg_hf_outside_" + std::to_string(::getpid()));
  write_text(outside, base_json().dump());
  fs::create_symlink(outside, dir_ / "tokenizer.json");
  expect_error_from_load("outside the tokenizer directory");
  fs::remove(dir_ / "tokenizer.json");
  write_text(dir_ / "tokenizer.json", base_json().dump());
  fs::create_symlink("/etc/passwd", dir_ / "special_tokens_map.json");
  expect_error_from_load("special_tokens_map.json resolves to /etc/passwd");
  fs::remove(outside);
}

TEST_F(HostileHfImport, SideFileDisagreeingWithThePostProcessor) {
  write_text(dir_ / "tokenizer_config.json", R"({"bos_token": "<|EOS|>"})");
  try {
    write_text(dir_ / "tokenizer.json", base_json().dump());
    load_tokenizer(dir_);
    FAIL() << "expected an error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer_config.json: bos_token is \"<|EOS|>\", but"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::tokenizer
