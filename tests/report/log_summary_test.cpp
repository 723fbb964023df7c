#include "report/log_summary.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "run_fixture.h"

namespace fg::report {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;
using testing::write_file;

std::vector<formats::JsonLogRecord> records_of(const std::vector<testing::Record>& rs) {
  std::vector<formats::JsonLogRecord> out;
  for (const auto& r : rs) out.push_back({r});
  return out;
}

TEST(LogSummary, CurvesAndFiguresOfAFinishedRun) {
  const auto s = summarize_log(records_of({testing::train_record(10, 5.0, 1e-3, 100),
                                           testing::eval_record(10, 4.0),
                                           testing::train_record(20, 3.0, 5e-4, 300),
                                           testing::eval_record(20, 4.5),
                                           {{"global_step", 20}, {"eval_text", "once upon"}},
                                           testing::final_record(20, 40.0, 20, 250)}));
  ASSERT_EQ(s.train_loss.size(), 2u);
  EXPECT_EQ(s.train_loss[1].x, 20);
  EXPECT_EQ(s.train_loss[1].y, 3.0);
  EXPECT_EQ(s.learning_rate[0].y, 1e-3);
  EXPECT_EQ(*s.last_step, 20);
  EXPECT_EQ(*s.final_train_loss, 3.0);
  EXPECT_EQ(*s.final_eval_loss, 4.5);
  EXPECT_EQ(*s.best_eval_loss, 4.0);
  EXPECT_EQ(*s.tokens_per_second, 250);  // the end-of-training figure wins over windows
  EXPECT_EQ(*s.wall_seconds, 40.0);
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(s.sessions, 1);
  ASSERT_EQ(s.samples.size(), 1u);
  EXPECT_EQ(s.samples[0].text, "once upon");
}

TEST(LogSummary, CrashedUnterminatedLogIsReadAndMarkedUnfinished) {
  TempDir tmp;
  // Python Forgather after a crash: no closing bracket, bare NaN, a torn last line.
  write_file(
      tmp / "trainer_logs.json",
      "[\n"
      R"({"timestamp": 100.0, "global_step": 10, "epoch": 0.1, "loss": 4.0, "learning_rate": 0.001})"
      ",\n"
      R"({"timestamp": 160.0, "global_step": 20, "epoch": 0.2, "loss": NaN, "learning_rate": 0.0009})"
      ",\n"
      R"({"timestamp": 170.0, "global_step": 20, "epoch": 0.2, "eval_loss": 3.5})"
      ",\n"
      R"({"timestamp": 190.0, "global_step": 30, "epo)");
  const auto s = summarize_log(formats::read_json_log(tmp / "trainer_logs.json"));
  EXPECT_FALSE(s.finished);
  EXPECT_EQ(*s.last_step, 20);
  ASSERT_EQ(s.train_loss.size(), 2u);
  EXPECT_TRUE(std::isnan(s.train_loss[1].y));
  EXPECT_EQ(*s.final_eval_loss, 3.5);
  EXPECT_NEAR(*s.wall_seconds, 70.0, 1e-9);       // estimated from the timestamps
  EXPECT_FALSE(s.tokens_per_second.has_value());  // Python logs carry no token rate
}

TEST(LogSummary, ResumedRunSupersedesRedoneStepsAndSumsSessions) {
  // Session 1 logged up to step 30 but its last checkpoint was step 20; the resumed session
  // redid steps 21-30 with different losses (as a crash before truncation would leave it).
  const auto s = summarize_log(
      records_of({testing::train_record(10, 5.0, 1e-3), testing::train_record(20, 4.0, 1e-3),
                  testing::final_record(20, 30.0, 20, 100), testing::train_record(30, 9.9, 1e-3),
                  testing::train_record(20, 4.1, 1e-3), testing::train_record(30, 3.0, 1e-3),
                  testing::eval_record(30, 2.5), testing::final_record(30, 10.0, 10, 300)}));
  ASSERT_EQ(s.train_loss.size(), 3u);
  EXPECT_EQ(s.train_loss[1].y, 4.1);
  EXPECT_EQ(s.train_loss[2].y, 3.0);
  EXPECT_EQ(s.sessions, 2);
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(*s.wall_seconds, 40.0);
  EXPECT_DOUBLE_EQ(*s.tokens_per_second, (100 * 30.0 + 300 * 10.0) / 40.0);
}

TEST(LogSummary, ResumedLogWrittenByJsonLogWriter) {
  TempDir tmp;
  const auto path = tmp / "trainer_logs.json";
  testing::write_log(path,
                     {testing::train_record(10, 5.0, 1e-3), testing::train_record(20, 4.0, 1e-3),
                      testing::train_record(30, 3.5, 1e-3)});
  {
    auto w = formats::JsonLogWriter::resume(path, 20);  // resumed from checkpoint-20
    w.append(testing::train_record(30, 3.4, 1e-3));
    w.append(testing::final_record(30, 12.0, 10, 500));
  }
  const auto s = summarize_log(formats::read_json_log(path));
  ASSERT_EQ(s.train_loss.size(), 3u);
  EXPECT_EQ(s.train_loss.back().y, 3.4);
  EXPECT_TRUE(s.finished);
}

TEST(LogSummary, EmptyLogHasNoFigures) {
  const auto s = summarize_log({});
  EXPECT_FALSE(s.last_step.has_value());
  EXPECT_FALSE(s.wall_seconds.has_value());
  EXPECT_FALSE(s.best_eval_loss.has_value());
  EXPECT_TRUE(s.train_loss.empty());
}

TEST(LogSummary, AppendPointDropsLaterOrEqualSteps) {
  std::vector<Point> c;
  append_point(c, 1, 1);
  append_point(c, 2, 2);
  append_point(c, 3, 3);
  append_point(c, 2, 5);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].y, 5);
}

TEST(LogSummary, CorruptLogNamesTheFile) {
  TempDir tmp;
  write_file(tmp / "trainer_logs.json",
             "[\n{\"global_step\": 1}\n,garbage\n{\"global_step\": 2}\n]\n");
  try {
    formats::read_json_log(tmp / "trainer_logs.json");
    FAIL() << "expected an error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find((tmp / "trainer_logs.json").string()), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::report
