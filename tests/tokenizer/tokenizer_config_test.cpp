// Hostile tokenizer_config.json files (tokenizer/tokenizer_config.h): each must give an
// fg::IoError naming the file and what was expected, never read outside the directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace fg::tokenizer {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("fg_tokcfg_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string config_with_model_file(const std::string& model_file_json) {
  return R"({"tokenizer_kind": "sentencepiece_bpe", "model_file": )" + model_file_json +
         R"(, "vocab_size": 0, "bos_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>",
            "unk_token": "<unk>", "special_token_ids": {"bos": 0, "pad": 1, "eos": 2, "unk": 3}})";
}

struct ConfigCase {
  const char* name;
  std::string json;
  std::string expected;  // a substring of the message
};

class HostileTokenizerConfig : public testing::TestWithParam<ConfigCase> {};

TEST_P(HostileTokenizerConfig, IsRefusedNamingTheFile) {
  const fs::path dir = fresh_dir(GetParam().name);
  std::ofstream(dir / kConfigFileName) << GetParam().json;
  try {
    load_tokenizer(dir);
    FAIL() << "accepted " << GetParam().name;
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find((dir / kConfigFileName).string()), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
  }
  fs::remove_all(dir);
}

const std::string kInside = "field 'model_file' must be a file name inside the tokenizer directory";

INSTANTIATE_TEST_SUITE_P(
    Configs, HostileTokenizerConfig,
    testing::Values(
        ConfigCase{"model_file_parent", config_with_model_file(R"("../../etc/passwd")"), kInside},
        ConfigCase{"model_file_absolute", config_with_model_file(R"("/dev/zero")"), kInside},
        ConfigCase{"model_file_subdir", config_with_model_file(R"("sub/tokenizer.model")"),
                   kInside},
        ConfigCase{"model_file_dotdot", config_with_model_file(R"("..")"), kInside},
        ConfigCase{"model_file_empty", config_with_model_file(R"("")"), kInside},
        ConfigCase{"deeply_nested", std::string(100000, '['),
                   "nesting too deep: expected at most 256"},
        ConfigCase{"not_json", "tokenizer_kind = sentencepiece", "invalid JSON"},
        ConfigCase{"top_level_array", "[1, 2]", "expected a JSON object, found array"},
        ConfigCase{"special_id_huge_float",
                   R"({"tokenizer_kind": "byte_level", "vocab_size": 260, "bos_token": "<s>",
                       "pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>",
                       "special_token_ids": {"bos": 1e300, "pad": 1, "eos": 2, "unk": 3}})",
                   "field 'bos' has the wrong type: [JSON] bos: expected an integer, found "
                   "number 1e+300"},
        ConfigCase{"vocab_size_past_int64",
                   R"({"tokenizer_kind": "byte_level", "vocab_size": 18446744073709551615})",
                   "expected an integer in [-9223372036854775808, 9223372036854775807], found "
                   "18446744073709551615"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HostileTokenizerConfig, ModelFileThatIsADirectoryIsRefused) {
  const fs::path dir = fresh_dir("model_dir");
  std::ofstream(dir / kConfigFileName) << config_with_model_file(R"("tokenizer.model")");
  fs::create_directories(dir / "tokenizer.model");
  try {
    load_tokenizer(dir);
    FAIL() << "accepted a directory as the model";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fg::tokenizer
