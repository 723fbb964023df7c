// Tokenizer directories named by a hostile model directory or command line: the files must be
// regular files inside the directory, and every problem is an IoError naming the path.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.h"
#include "tokenizer/byte_tokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace fg::tokenizer {
namespace {

namespace fs = std::filesystem;

// A directory holding a sentencepiece tokenizer_config.json whose model_file is `model_file`.
fs::path config_naming(const fs::path& dir, const std::string& model_file) {
  fs::create_directories(dir);
  TokenizerConfig c = ByteTokenizer::make_config();
  c.kind = kKindSentencePiece;
  c.model_file = model_file;
  write_tokenizer_config(dir, c);
  return dir;
}

struct TokCase {
  std::string name;
  std::function<void(const fs::path&)> run;  // given an empty scratch directory
  std::string expected;
};

void PrintTo(const TokCase& c, std::ostream* os) {
  *os << c.name;
}

class HostileTokenizerFiles : public ::testing::TestWithParam<TokCase> {};

TEST_P(HostileTokenizerFiles, IsAnIoErrorNamingThePath) {
  const fs::path dir =
      fs::temp_directory_path() / ("fg_tok_hostile_" + GetParam().name + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string message = "(no error)";
  try {
    GetParam().run(dir);
  } catch (const IoError& e) {
    message = e.what();
  }
  fs::remove_all(dir);
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Files, HostileTokenizerFiles,
    ::testing::Values(
        TokCase{
            "ModelFileEscapingTheDirectory",
            [](const fs::path& d) { load_tokenizer(config_naming(d / "t", "../../etc/passwd")); },
            "field 'model_file' must be a file name inside the tokenizer directory (no '/', '\\' "
            "or '..'), got \"../../etc/passwd\""},
        TokCase{"ModelFileAbsolute",
                [](const fs::path& d) { load_tokenizer(config_naming(d / "t", "/etc/passwd")); },
                "got \"/etc/passwd\""},
        TokCase{"ModelFileDotDot",
                [](const fs::path& d) { load_tokenizer(config_naming(d / "t", "..")); },
                "got \"..\""},
        TokCase{"ModelFileADirectory",
                [](const fs::path& d) {
                  fs::create_directories(d / "t" / "tokenizer.model");
                  load_tokenizer(config_naming(d / "t", "tokenizer.model"));
                },
                "tokenizer.model' is a directory, expected a regular file"},
        TokCase{"ModelFileAFifo",
                [](const fs::path& d) {
                  config_naming(d / "t", "tokenizer.model");
                  ::mkfifo((d / "t" / "tokenizer.model").c_str(), 0644);
                  load_tokenizer(d / "t");
                },
                "tokenizer.model' is a FIFO (named pipe)"},
        TokCase{"ConfigADirectory",
                [](const fs::path& d) {
                  fs::create_directories(d / kConfigFileName);
                  load_tokenizer(d);
                },
                "tokenizer_config.json' is a directory, expected a regular file"},
        TokCase{"ConfigEmpty",
                [](const fs::path& d) {
                  std::ofstream(d / kConfigFileName).flush();
                  load_tokenizer(d);
                },
                "invalid JSON: parse error at line 1, column 1"},
        TokCase{"SaveUnderAFile",
                [](const fs::path& d) {
                  std::ofstream(d / "file") << "x";
                  ByteTokenizer().save(d / "file" / "tok");
                },
                "cannot create tokenizer directory"},
        TokCase{"SaveOverAFile",
                [](const fs::path& d) {
                  std::ofstream(d / "file") << "x";
                  ByteTokenizer().save(d / "file");
                },
                "file': it exists and is a file"},
        TokCase{"SaveWithConfigADirectory",
                [](const fs::path& d) {
                  fs::create_directories(d / kConfigFileName);
                  ByteTokenizer().save(d);
                },
                "tokenizer_config.json': it is a directory, expected a regular file path"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace fg::tokenizer
