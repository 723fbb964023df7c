// The TensorBoard file of a real (short) run: every record's CRCs check out, and an independent
// protobuf decoder (`protoc --decode_raw`) finds the scalar tags and the generated samples.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "formats/event_reader.h"
#include "formats/tfrecord.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

bool have_protoc() {
  return std::system("command -v protoc >/dev/null 2>&1") == 0;
}

std::string run_capture(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  if (status != 0) out += "\n(exit status " + std::to_string(status) + ")";
  return out;
}

fs::path find_events_file(const fs::path& root) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().filename().string().rfind("events.out.tfevents.", 0) == 0) return e.path();
  }
  return {};
}

TEST(TrainerLogs, TensorBoardRecordsDecodeWithProtoc) {
  if (!have_protoc()) GTEST_SKIP() << "protoc is not installed";
  TrainerFixture f("tb");
  TrainingArguments a = f.args(4);
  a.eval_steps = 2;
  a.logging_dir = (f.dir / "logs").string();
  TrainerInputs in = f.inputs();
  in.generation.prompts = {"Once upon a time"};
  in.generation.sampling.max_new_tokens = 8;
  TrainResult r = Trainer(a, std::move(in)).train();
  ASSERT_EQ(r.global_step, 4);

  const fs::path events = find_events_file(a.logging_dir);
  ASSERT_FALSE(events.empty()) << "no events file under " << a.logging_dir;
  // Both CRCs of every record, with no torn tail allowed: the run closed the file.
  const std::vector<std::string> records = formats::read_tfrecords(events);
  ASSERT_GT(records.size(), 4u);

  // Decode every record independently and gather what protoc shows.
  std::string decoded;
  std::string sample_record;
  const fs::path payload_file = f.dir / "event.bin";
  for (size_t i = 0; i < records.size(); ++i) {
    std::ofstream(payload_file, std::ios::binary) << records[i];
    const std::string text = run_capture("protoc --decode_raw < '" + payload_file.string() + "'");
    ASSERT_EQ(text.find("(exit status"), std::string::npos)
        << "protoc could not decode record " << i << ":\n"
        << text;
    if (text.find("eval-text/text_summary") != std::string::npos) sample_record = text;
    decoded += text;
  }
  for (const char* tag :
       {"\"train-loss\"", "\"eval-loss\"", "\"eval-perplexity\"", "\"learning-rate\"",
        "\"grad-norm\"", "\"grad-norm[max]\"", "\"tokens-per-second\"",
        "\"experiment/text_summary\"", "\"training_info/text_summary\"",
        "\"train_results/text_summary\"", "\"brain.Event:2\""}) {
    EXPECT_NE(decoded.find(tag), std::string::npos) << tag << " missing from:\n" << decoded;
  }
  // The generated sample: a text summary (text plugin) holding the prompt and the marker.
  ASSERT_FALSE(sample_record.empty()) << decoded;
  EXPECT_NE(sample_record.find("\"text\""), std::string::npos) << sample_record;
  EXPECT_NE(sample_record.find("Once upon a time [START] "), std::string::npos) << sample_record;

  // The same file through the formats reader: the series land at the expected steps.
  const auto parsed = formats::read_events(events);
  auto steps = [&](const std::string& tag) {
    std::vector<int64_t> s;
    for (const auto& [step, value] : formats::scalar_series(parsed, tag)) s.push_back(step);
    return s;
  };
  EXPECT_EQ(steps("train-loss"), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(steps("eval-loss"), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(steps("learning-rate"), (std::vector<int64_t>{2, 4}));
}

}  // namespace
}  // namespace fg::train
