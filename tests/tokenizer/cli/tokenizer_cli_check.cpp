#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands/tokenizer_command.h"
#include "core/error.h"
#include "data/synthetic_stories.h"

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  std::string out, err;
};

CliRun run(std::vector<std::string> args, const std::string& stdin_text = "") {
  CLI::App app("test");
  std::ostringstream out, err;
  std::istringstream in(stdin_text);
  add_tokenizer_command(app, out, in, err, false);
  std::vector<const char*> argv = {"forgather"};
  for (auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return {out.str(), err.str()};
}

struct Dir {
  fs::path path = fs::temp_directory_path() / ("fg_tokcli_" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

TEST(TokenizerCli, TrainEncodeDecodeRoundTrip) {
  Dir dir;
  fs::path corpus = dir.path / "corpus.txt";
  {
    std::ofstream f(corpus);
    for (const auto& s : data::synthetic_stories({.seed = 3, .first = 0, .count = 200}))
      f << s << "\n<|endoftext|>\n";
  }
  fs::path tok = dir.path / "tok";
  CliRun trained = run({"tokenizer", "train", "--input", corpus.string(), "--vocab-size", "400",
                        "--out", tok.string(), "--threads", "1"});
  EXPECT_NE(trained.out.find("vocab 400, trained on 200 documents"), std::string::npos)
      << trained.out;
  EXPECT_NE(trained.err.find("training tokenizer  done"), std::string::npos) << trained.err;
  ASSERT_TRUE(fs::exists(tok / "tokenizer.model"));
  ASSERT_TRUE(fs::exists(tok / "tokenizer_config.json"));

  CliRun stats =
      run({"tokenizer", "encode", "--tokenizer", tok.string(), "--stats", corpus.string()});
  EXPECT_NE(stats.out.find("documents: 200"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("tokens per character: 0."), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("MB/s"), std::string::npos);

  fs::path one = dir.path / "one.txt";
  std::ofstream(one) << "once upon a time, there was a little dragon who loved to read stories.";
  CliRun ids = run({"tokenizer", "encode", "--tokenizer", tok.string(), one.string()});
  EXPECT_EQ(ids.out.substr(0, 2), "0 ");
  CliRun text = run({"tokenizer", "decode", "--tokenizer", tok.string()}, ids.out);
  EXPECT_EQ(text.out, "once upon a time, there was a little dragon who loved to read stories.\n");
  CliRun special =
      run({"tokenizer", "decode", "--tokenizer", tok.string(), "--keep-special"}, "0 2\n");
  EXPECT_EQ(special.out, "<|BOS|><|EOS|>\n");
}

TEST(TokenizerCli, TrainsOfflineOnSyntheticStories) {
  Dir dir;
  fs::path tok = dir.path / "syn";
  CliRun r = run({"tokenizer", "train", "--synthetic", "300", "--vocab-size", "420", "--out",
                  tok.string(), "--threads", "1"});
  EXPECT_NE(r.out.find("vocab 420, trained on 300 documents"), std::string::npos) << r.out;
  try {
    run({"tokenizer", "train", "--out", tok.string()});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("either --input or --synthetic N, got neither"),
              std::string::npos)
        << e.what();
  }
}

TEST(TokenizerCli, ErrorsAreFgErrorsWithContext) {
  Dir dir;
  try {
    run({"tokenizer", "encode", "--tokenizer", (dir.path / "nope").string(), "x.txt"});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer_config.json"), std::string::npos) << e.what();
  }
  try {
    run({"tokenizer", "train", "--input", "x.txt", "--vocab-size", "10", "--out", "o"});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("vocab_size 10 is too small"), std::string::npos);
  }
  fs::path bytes_dir = dir.path / "bytes";
  fs::create_directories(bytes_dir);
  std::ofstream(bytes_dir / "tokenizer_config.json")
      << R"({"tokenizer_kind": "byte_level", "vocab_size": 260, "bos_token": "<|BOS|>",
            "pad_token": "<|PAD|>", "eos_token": "<|EOS|>", "unk_token": "<|UNK|>",
            "special_token_ids": {"bos": 0, "pad": 1, "eos": 2, "unk": 3}})";
  try {
    run({"tokenizer", "decode", "--tokenizer", bytes_dir.string()}, "0 5 x7\n");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("<stdin>:1: expected non-negative token ids, found 'x7'"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::cli
