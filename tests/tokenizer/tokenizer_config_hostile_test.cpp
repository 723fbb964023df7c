// A tokenizer directory from a stranger: its model file name cannot point outside the directory,
// and the file itself must be a regular file inside it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace fg::tokenizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("fg_tokhostile_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// tokenizer_config.json for a SentencePiece tokenizer whose model_file field is given raw JSON.
void write_config(const fs::path& dir, const std::string& model_file_json) {
  std::ofstream(dir / kConfigFileName)
      << R"({"tokenizer_kind": "sentencepiece_bpe", "vocab_size": 0, "model_file": )"
      << model_file_json << R"(, "bos_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>",
      "unk_token": "<unk>", "special_token_ids": {"bos": 0, "pad": 1, "eos": 2, "unk": 3}})";
}

std::string load_error(const fs::path& dir) {
  try {
    load_tokenizer(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "(loaded without error)";
}

struct BadName {
  const char* label;
  const char* json;
};

class HostileTokenizerModelFile : public ::testing::TestWithParam<BadName> {};

TEST_P(HostileTokenizerModelFile, IsRefusedNamingTheFieldAndFile) {
  fs::path dir = fresh_dir(GetParam().label);
  write_config(dir, GetParam().json);
  std::string message = load_error(dir);
  EXPECT_THAT(message, HasSubstr("field 'model_file' must be a file name inside the tokenizer"));
  EXPECT_THAT(message, HasSubstr(kConfigFileName));
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Names, HostileTokenizerModelFile,
    ::testing::Values(BadName{"absolute", R"("/etc/passwd")"},
                      BadName{"parent", R"("../tokenizer.model")"},
                      BadName{"deep_parent", R"("../../../../../../etc/passwd")"},
                      BadName{"subdirectory", R"("sub/tokenizer.model")"},
                      BadName{"dot_dot", R"("..")"}, BadName{"dot", R"(".")"},
                      BadName{"empty", R"("")"}, BadName{"backslash", R"("..\\x.model")"},
                      BadName{"nul_byte", R"("tokenizer.model\u0000.txt")"}),
    [](const auto& info) { return std::string(info.param.label); });

TEST(HostileTokenizerModelFileType, NonStringNameIsAWrongType) {
  fs::path dir = fresh_dir("number");
  write_config(dir, "123");
  EXPECT_THAT(load_error(dir), HasSubstr("field 'model_file' has the wrong type"));
  fs::remove_all(dir);
}

TEST(HostileTokenizerModelFileType, SymlinkOutOfTheDirectoryIsRefused) {
  fs::path dir = fresh_dir("symlink");
  write_config(dir, R"("tokenizer.model")");
  fs::create_symlink("/etc/passwd", dir / "tokenizer.model");
  std::string message = load_error(dir);
  EXPECT_THAT(message, HasSubstr("outside the tokenizer directory"));
  EXPECT_THAT(message, HasSubstr("/etc/passwd"));
  fs::remove_all(dir);
}

TEST(HostileTokenizerModelFileType, FifoIsRefusedWithoutBlocking) {
  fs::path dir = fresh_dir("fifo");
  write_config(dir, R"("tokenizer.model")");
  ASSERT_EQ(::mkfifo((dir / "tokenizer.model").c_str(), 0600), 0);
  EXPECT_THAT(load_error(dir), HasSubstr("is a FIFO"));
  fs::remove_all(dir);
}

TEST(HostileTokenizerModelFileType, DirectoryIsRefused) {
  fs::path dir = fresh_dir("directory");
  write_config(dir, R"("tokenizer.model")");
  fs::create_directories(dir / "tokenizer.model");
  EXPECT_THAT(load_error(dir), HasSubstr("is a directory"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fg::tokenizer
