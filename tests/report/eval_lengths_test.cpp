#include "report/eval_lengths.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>

#include "core/error.h"
#include "run_fixture.h"

namespace fg::report {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;
using testing::write_file;

TEST(EvalLengths, RoundTripsAndKeepsOverflowAsInfinity) {
  TempDir tmp;
  EvalLengths e{"tinystories-valid",
                {{512, 2.5, std::exp(2.5), 4096},
                 {256, 2.0, std::exp(2.0), 2048},
                 {2048, 900.0, INFINITY, 8192}}};
  e = merge_eval_lengths({}, e);  // sorts
  write_eval_lengths(tmp / "eval_lengths.json", e);
  const EvalLengths back = read_eval_lengths(tmp / "eval_lengths.json");
  EXPECT_EQ(back.dataset, "tinystories-valid");
  ASSERT_EQ(back.results.size(), 3u);
  EXPECT_EQ(back.results[0].length, 256);
  EXPECT_EQ(back.results[1].tokens, 4096);
  EXPECT_DOUBLE_EQ(back.find(512)->perplexity, std::exp(2.5));
  EXPECT_TRUE(std::isinf(back.find(2048)->perplexity));
  EXPECT_EQ(back.find(1024), nullptr);
}

TEST(EvalLengths, PerplexityDefaultsToExpLoss) {
  TempDir tmp;
  write_file(tmp / "e.json", R"({"results": [{"length": 128, "loss": 1.0}]})");
  EXPECT_DOUBLE_EQ(read_eval_lengths(tmp / "e.json").results[0].perplexity, std::exp(1.0));
}

TEST(EvalLengths, BadFilesNameTheFileAndEntry) {
  TempDir tmp;
  auto message = [&](const std::string& text) {
    write_file(tmp / "e.json", text);
    try {
      read_eval_lengths(tmp / "e.json");
    } catch (const IoError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string file = (tmp / "e.json").string();
  EXPECT_NE(message("{oops").find(file + ": invalid JSON"), std::string::npos);
  EXPECT_NE(message("[]").find("\"results\" array"), std::string::npos);
  EXPECT_NE(message(R"({"results": [{"length": 1, "loss": 1}, {"length": -4, "loss": 1}]})")
                .find(file + " results[1]"),
            std::string::npos);
  EXPECT_NE(message(R"({"results": [{"length": 8, "loss": "x"}]})").find("\"loss\""),
            std::string::npos);
  EXPECT_THROW(read_eval_lengths(tmp / "absent.json"), IoError);
}

TEST(EvalLengths, MergeReplacesSameLengths) {
  EvalLengths a{"d", {{256, 1, 1, 1}, {512, 2, 2, 2}}};
  EvalLengths b{"", {{512, 3, 3, 3}, {1024, 4, 4, 4}}};
  const EvalLengths m = merge_eval_lengths(a, b);
  EXPECT_EQ(m.dataset, "d");
  ASSERT_EQ(m.results.size(), 3u);
  EXPECT_EQ(m.find(512)->loss, 3);
}

TEST(EvalLengths, ParseLengths) {
  EXPECT_EQ(parse_lengths("2048,256,512,256"), (std::vector<int64_t>{256, 512, 2048}));
  EXPECT_THROW(parse_lengths(""), Error);
  EXPECT_THROW(parse_lengths("256,,512"), Error);
  EXPECT_THROW(parse_lengths("256,abc"), Error);
  EXPECT_THROW(parse_lengths("0"), Error);
  EXPECT_EQ(eval_lengths_command("out/a", {256, 512}),
            "forgather eval --model out/a --lengths 256,512");
}

// eval -o and compare name these files: a directory, a FIFO or a missing parent is an IoError
// naming the path.
TEST(HostileEvalLengthsPath, WriteOverADirectory) {
  TempDir tmp;
  fs::create_directories(tmp / "d");
  try {
    write_eval_lengths(tmp / "d", EvalLengths{});
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("[EvalLengths] cannot write '" + (tmp / "d").string() +
                                         "': it is a directory"),
              std::string::npos)
        << e.what();
  }
}

TEST(HostileEvalLengthsPath, WriteIntoAMissingDirectory) {
  TempDir tmp;
  try {
    write_eval_lengths(tmp / "none" / "e.json", EvalLengths{});
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("none' does not exist"), std::string::npos) << e.what();
  }
}

TEST(HostileEvalLengthsPath, ReadAFifoWithoutBlocking) {
  TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp / "e.json").c_str(), 0644), 0);
  try {
    read_eval_lengths(tmp / "e.json");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("e.json' is a FIFO"), std::string::npos) << e.what();
  }
}

TEST(HostileEvalLengthsPath, ReadADirectory) {
  TempDir tmp;
  fs::create_directories(tmp / "e.json");
  try {
    read_eval_lengths(tmp / "e.json");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("e.json' is a directory, expected a regular file"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::report
