#include "formats/json_log.h"

#include <sys/stat.h>

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/event_writer.h"
#include "formats/file_io.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;

TEST(JsonLog, FileIsAValidArrayAfterEveryRecord) {
  TempDir dir;
  auto path = dir / "trainer_logs.json";
  JsonLogWriter log = JsonLogWriter::create(path);
  EXPECT_TRUE(nlohmann::json::parse(read_file_text(path)).empty());
  log.log(50, 0.25, {{"loss", 7.5}, {"grad_norm", 1.25}, {"learning_rate", 1.5e-4}});
  EXPECT_EQ(nlohmann::json::parse(read_file_text(path)).size(), 1u);
  log.log(100, 0.5, {{"eval_loss", 6.0}});
  log.log(100, 0.5, {{"epoch", 0.75}, {"train_samples", 3200}});  // metrics win on collisions
  nlohmann::ordered_json all = nlohmann::ordered_json::parse(read_file_text(path));
  ASSERT_EQ(all.size(), 3u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : all[0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"timestamp", "global_step", "epoch", "loss",
                                            "grad_norm", "learning_rate"}));
  EXPECT_NEAR(all[0]["timestamp"].get<double>(), unix_time_now(), 60.0);
  EXPECT_EQ(all[2]["epoch"].get<double>(), 0.75);
  EXPECT_EQ(all[2]["train_samples"].get<int64_t>(), 3200);

  std::vector<JsonLogRecord> records = read_json_log(path);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].global_step(), 50);
  EXPECT_EQ(records[0].number("loss"), 7.5);
  EXPECT_EQ(records[1].number("eval_loss"), 6.0);
  EXPECT_EQ(records[1].number("loss"), std::nullopt);
  // One record per line, so line-oriented tools (tail, grep) work.
  std::string text = read_file_text(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
}

TEST(JsonLog, CreateRefusesAnExistingFile) {
  TempDir dir;
  JsonLogWriter::create(dir / "log.json");
  try {
    JsonLogWriter::create(dir / "log.json");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("resume"), std::string::npos) << e.what();
  }
}

TEST(JsonLog, NonFiniteValuesAreNullWithAFlagAndRestoredOnRead) {
  TempDir dir;
  auto path = dir / "log.json";
  JsonLogWriter log = JsonLogWriter::create(path);
  log.log(1, 0.0, {{"loss", std::nan("")}, {"grad_norm", HUGE_VAL}, {"x", -HUGE_VAL}});
  nlohmann::json strict = nlohmann::json::parse(read_file_text(path));  // strict JSON
  EXPECT_TRUE(strict[0]["loss"].is_null());
  EXPECT_EQ(strict[0]["non_finite"]["loss"], "NaN");
  EXPECT_EQ(strict[0]["non_finite"]["x"], "-Infinity");
  JsonLogRecord r = read_json_log(path).at(0);
  EXPECT_TRUE(std::isnan(*r.number("loss")));
  EXPECT_EQ(*r.number("grad_norm"), HUGE_VAL);
  EXPECT_EQ(*r.number("x"), -HUGE_VAL);
  EXPECT_FALSE(r.fields.contains("non_finite"));
}

TEST(JsonLog, InvalidUtf8TextIsReplacedNotAnError) {
  TempDir dir;
  auto path = dir / "trainer_logs.json";
  JsonLogWriter log = JsonLogWriter::create(path);
  // A sample cut inside a multi-byte character ("\xC3" alone) and a stray continuation byte.
  log.log(10, 0.1, {{"eval_text", std::string("caf\xC3") + " \xAB end"}});
  auto all = nlohmann::json::parse(read_file_text(path));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["eval_text"], "caf\xEF\xBF\xBD \xEF\xBF\xBD end");
}

TEST(JsonLog, ReadsPythonForgatherLogsLeftUnterminatedByACrash) {
  TempDir dir;
  auto path = dir / "trainer_logs.json";
  write_file_atomic(path,
                    "[\n"
                    "{\"timestamp\": 1700000000.5, \"global_step\": 50, \"epoch\": 0.1, \"loss\": "
                    "NaN, \"learning_rate\": Infinity},\n"
                    "{\"timestamp\": 1700000010.5, \"global_step\": 100, \"epoch\": 0.2, "
                    "\"eval_loss\": 5.5, \"note\": \"NaN in a string stays\"}");
  std::vector<JsonLogRecord> records = read_json_log(path);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(std::isnan(*records[0].number("loss")));
  EXPECT_EQ(*records[0].number("learning_rate"), HUGE_VAL);
  EXPECT_EQ(records[1].global_step(), 100);
  EXPECT_EQ(records[1].fields["note"], "NaN in a string stays");
}

TEST(JsonLog, TornLastRecordIsDroppedAndResumeRepairsAndAppends) {
  TempDir dir;
  auto path = dir / "log.json";
  {
    JsonLogWriter log = JsonLogWriter::create(path);
    for (int s = 1; s <= 4; ++s) log.log(s * 10, s * 0.1, {{"loss", 10.0 - s}});
  }
  std::string full = read_file_text(path);
  // A crash in the middle of the 5th append: the closing bracket is partly overwritten.
  write_file_atomic(path, full.substr(0, full.size() - 3) + ",\n{\"timestamp\": 17000");
  EXPECT_EQ(read_json_log(path).size(), 4u);

  JsonLogWriter resumed = JsonLogWriter::resume(path, /*truncate_after_step=*/20);
  EXPECT_EQ(resumed.records(), 2);
  resumed.log(30, 0.3, {{"loss", 1.0}});
  std::vector<JsonLogRecord> records = read_json_log(path);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].global_step(), 20);
  EXPECT_EQ(records[2].global_step(), 30);
  EXPECT_EQ(records[2].number("loss"), 1.0);
  EXPECT_NO_THROW(nlohmann::json::parse(read_file_text(path)));

  JsonLogWriter fresh = JsonLogWriter::resume(dir / "new.json");  // missing file: created
  fresh.log(1, 0.0, {{"loss", 2.0}});
  EXPECT_EQ(read_json_log(dir / "new.json").size(), 1u);
}

TEST(JsonLog, DamageBeforeTheLastRecordIsAnError) {
  TempDir dir;
  write_file_atomic(dir / "bad.json",
                    "[\n{\"global_step\": 1},\n{garbage},\n{\"global_step\": 3}\n]\n");
  try {
    read_json_log(dir / "bad.json");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
  write_file_atomic(dir / "obj.json", "{\"a\": 1}");
  EXPECT_THROW(read_json_log(dir / "obj.json"), IoError);
  EXPECT_THROW(read_json_log(dir / "missing.json"), IoError);
}

// trainer_logs.json paths a hostile config can name: IoErrors naming the path, no blocking.
TEST(HostileJsonLog, ResumingAFifoDoesNotBlock) {
  TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp / "trainer_logs.json").c_str(), 0644), 0);
  try {
    JsonLogWriter::resume(tmp / "trainer_logs.json", std::nullopt);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("trainer_logs.json': it is a FIFO (named pipe)"),
              std::string::npos)
        << e.what();
  }
}

TEST(HostileJsonLog, CreatingInAMissingDirectory) {
  TempDir tmp;
  try {
    JsonLogWriter::create(tmp / "none" / "trainer_logs.json");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("trainer_logs.json': No such file or directory"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::formats
