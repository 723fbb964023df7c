// The Trainer's output, logging and resume paths named by a hostile config or command line:
// each problem is an fg::Error naming the path, never a filesystem_error or a hang.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

struct PathCase {
  std::string name;
  // Prepares the fixture's directory and adjusts the arguments.
  std::function<void(const TrainerFixture&, TrainingArguments&)> setup;
  std::string expected;
};

void PrintTo(const PathCase& c, std::ostream* os) {
  *os << c.name;
}

void touch(const fs::path& p, const std::string& text = "") {
  std::ofstream(p) << text;
}

// A real checkpoint to resume from, made by a 2-step run.
fs::path real_checkpoint(const TrainerFixture& f) {
  TrainingArguments a = f.args(2);
  a.eval_strategy = IntervalStrategy::No;
  a.output_dir = (f.dir / "first").string();
  Trainer(a, f.inputs()).train();
  return fs::path(a.output_dir) / "checkpoints" / "checkpoint-2";
}

class HostileTrainerPath : public ::testing::TestWithParam<PathCase> {};

TEST_P(HostileTrainerPath, IsAnErrorNamingThePath) {
  TrainerFixture f("path_" + GetParam().name);
  TrainingArguments a = f.args(2);
  a.eval_strategy = IntervalStrategy::No;
  GetParam().setup(f, a);
  std::string message = "(no error)";
  try {
    Trainer(a, f.inputs()).train();
  } catch (const Error& e) {
    message = e.what();
  }
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Paths, HostileTrainerPath,
    ::testing::Values(
        PathCase{"OutputDirIsAFile",
                 [](const TrainerFixture& f, TrainingArguments& a) { touch(a.output_dir); },
                 "[Trainer] cannot create output directory"},
        PathCase{"OutputDirUnderAFile",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   touch(f.dir / "file");
                   a.output_dir = (f.dir / "file" / "out").string();
                 },
                 "file' is a file"},
        PathCase{"OutputDirUnderProc",
                 [](const TrainerFixture&, TrainingArguments& a) { a.output_dir = "/proc/fg_out"; },
                 "cannot create output directory '/proc/fg_out': '/proc' does not allow"},
        PathCase{"CheckpointsIsAFile",
                 [](const TrainerFixture&, TrainingArguments& a) {
                   fs::create_directories(a.output_dir);
                   touch(fs::path(a.output_dir) / "checkpoints");
                 },
                 "[Checkpoint] cannot create checkpoints directory"},
        PathCase{"LoggingDirIsAFile",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   touch(f.dir / "logs");
                   a.logging_dir = (f.dir / "logs").string();
                 },
                 "[Trainer] cannot create logging directory"},
        PathCase{"TrainerLogIsADirectory",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   a.logging_dir = (f.dir / "logs").string();
                   fs::create_directories(f.dir / "logs" / "trainer_logs.json");
                 },
                 "trainer_logs.json': it is a directory, expected a regular file"},
        PathCase{"ResumeFromMissingPath",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   a.resume_from_checkpoint = (f.dir / "nope").string();
                 },
                 "checkpoint to resume from '"},
        PathCase{"ResumeFromAFile",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   touch(f.dir / "ckpt");
                   a.resume_from_checkpoint = (f.dir / "ckpt").string();
                 },
                 "ckpt' is a file, expected a directory"},
        PathCase{"ResumeFromAnEmptyDirectory",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   fs::create_directories(f.dir / "empty");
                   a.resume_from_checkpoint = (f.dir / "empty").string();
                 },
                 "empty': it is not a checkpoint (no trainer_state.json)"},
        PathCase{"ResumeWithTrainerStateADirectory",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   fs::create_directories(f.dir / "c" / "trainer_state.json");
                   a.resume_from_checkpoint = (f.dir / "c").string();
                 },
                 "trainer_state.json' is a directory, expected a regular file"},
        PathCase{"ResumeWithTrainerStateAFifo",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   fs::create_directories(f.dir / "c");
                   ::mkfifo((f.dir / "c" / "trainer_state.json").c_str(), 0644);
                   a.resume_from_checkpoint = (f.dir / "c").string();
                 },
                 "trainer_state.json' is a FIFO (named pipe)"},
        PathCase{"ResumeWithEmptyTrainerState",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   fs::create_directories(f.dir / "c");
                   touch(f.dir / "c" / "trainer_state.json");
                   a.resume_from_checkpoint = (f.dir / "c").string();
                 },
                 "trainer_state.json: invalid JSON"},
        PathCase{"ResumeWithoutWeights",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   const fs::path c = real_checkpoint(f);
                   fs::remove(c / "model.safetensors");
                   a.resume_from_checkpoint = c.string();
                 },
                 "checkpoint weights '"},
        PathCase{"ResumeWithWeightsADirectory",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   const fs::path c = real_checkpoint(f);
                   fs::remove(c / "model.safetensors");
                   fs::create_directories(c / "model.safetensors");
                   a.resume_from_checkpoint = c.string();
                 },
                 "model.safetensors' is a directory, expected a regular file"},
        PathCase{"ResumeWithOptimizerStateAFifo",
                 [](const TrainerFixture& f, TrainingArguments& a) {
                   const fs::path c = real_checkpoint(f);
                   fs::remove(c / "optimizer.safetensors");
                   ::mkfifo((c / "optimizer.safetensors").c_str(), 0644);
                   a.resume_from_checkpoint = c.string();
                 },
                 "optimizer.safetensors': it is a FIFO (named pipe)"}),
    [](const auto& info) { return info.param.name; });

// trainer_state.json is data: a logging_dir it names outside the output directory is not
// written to (a copied or edited checkpoint must not make a resumed run write elsewhere).
TEST(HostileTrainerState, LoggingDirOutsideTheOutputDirIsIgnored) {
  TrainerFixture f("logdir_escape");
  const fs::path checkpoint = real_checkpoint(f);
  const fs::path state = checkpoint / "trainer_state.json";
  nlohmann::json j = nlohmann::json::parse(std::ifstream(state));
  j["logging_dir"] = (f.dir / "elsewhere").string();
  std::ofstream(state, std::ios::trunc) << j.dump(2);
  TrainingArguments a = f.args(3);
  a.eval_strategy = IntervalStrategy::No;
  a.output_dir = (f.dir / "first").string();
  a.resume_from_checkpoint = checkpoint.string();
  Trainer(a, f.inputs()).train();
  EXPECT_FALSE(fs::exists(f.dir / "elsewhere"));
  EXPECT_TRUE(fs::exists(fs::path(a.output_dir) / "model.safetensors"));
}

}  // namespace
}  // namespace fg::train
