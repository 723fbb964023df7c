// Hostile paths and non-finite files through the real `forgather` executable: every one exits
// non-zero with a message naming the path, never "internal error", and never hangs (each run is
// under `timeout`). A tiny model trained once on the synthetic stories is the material.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";

struct CliRun {
  int status = -1;  // the exit code; 124 when `timeout` stopped it
  std::string output;
};

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CliRun forgather(const std::vector<std::string>& args, const std::string& env = "") {
  std::string cmd = "FORGATHER_DATASET=synthetic " + env + " timeout 120 " + FG_FORGATHER_BIN;
  for (const auto& a : args) cmd += " " + quoted(a);
  cmd += " 2>&1 </dev/null";
  CliRun r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The example config shrunk to a tiny model on synthetic data, writing under `dir`.
std::vector<std::string> tiny(const fs::path& dir, const std::string& out) {
  return {"-p",    kProject,
          "-t",    "baseline.yaml",
          "--set", "tokenizer.path=" + (dir / "tok").string(),
          "--set", "tokenizer.vocab_size=300",
          "--set", "tokenizer.split=train[:300]",
          "--set", "train_dataset_split.split=train[:32]",
          "--set", "validation_dataset_split.split=validation[:8]",
          "--set", "model_config.hidden_size=24",
          "--set", "model_config.dim_feedforward=48",
          "--set", "model_config.num_hidden_layers=1",
          "--set", "trainer_args.output_dir=" + out,
          "--set", "trainer_args.dataloader_num_workers=0",
          "--set", "summary_writer.log_dir=" + (dir / "runs").string()};
}

std::vector<std::string> with(std::vector<std::string> a, std::vector<std::string> more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

// Overwrites the first float of the first F32 tensor (by data offset) of a safetensors file.
void poison_first_float(const fs::path& file, float value) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  uint64_t header_size = 0;
  f.read(reinterpret_cast<char*>(&header_size), sizeof header_size);
  std::string header(header_size, '\0');
  f.read(header.data(), static_cast<std::streamsize>(header_size));
  // The smallest data offset of an F32 tensor is where the first float's bytes start.
  size_t best = std::string::npos;
  for (size_t at = header.find("\"dtype\":\"F32\""); at != std::string::npos;
       at = header.find("\"dtype\":\"F32\"", at + 1)) {
    const size_t offsets = header.find("\"data_offsets\":[", at);
    best = std::min<size_t>(best, std::stoull(header.substr(offsets + 16)));
  }
  f.seekp(static_cast<std::streamoff>(8 + header_size + best));
  f.write(reinterpret_cast<const char*>(&value), sizeof value);
}

class HostileCliPath : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string templ = (fs::temp_directory_path() / "fg-cli-hostile-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = new fs::path(templ);
    const CliRun r = forgather(with(tiny(*root_, model().string()), {"train", "--max-steps", "2"}));
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*root_, ignored);
    delete root_;
  }
  static fs::path root() { return *root_; }
  static fs::path model() { return *root_ / "model"; }

  // A copy of the trained model directory (without checkpoints) to corrupt.
  static fs::path model_copy(const std::string& name) {
    const fs::path dir = root() / name;
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(model()))
      if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
    return dir;
  }

  void expect_refused(const CliRun& r, const std::string& expected) {
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  }

 private:
  static fs::path* root_;
};

fs::path* HostileCliPath::root_ = nullptr;

TEST_F(HostileCliPath, TrainOutputDirThatIsAFile) {
  std::ofstream(root() / "out_file") << "x";
  expect_refused(
      forgather(with(tiny(root(), (root() / "out_file").string()), {"train", "--max-steps", "1"})),
      "[Trainer] cannot create output directory '" + (root() / "out_file").string() +
          "': it exists and is a file");
}

TEST_F(HostileCliPath, TrainOutputDirUnderProc) {
  expect_refused(forgather(with(tiny(root(), "/proc/fg_out"), {"train", "--max-steps", "1"})),
                 "cannot create output directory '/proc/fg_out': '/proc' does not allow");
}

TEST_F(HostileCliPath, TrainResumeFromAFile) {
  std::ofstream(root() / "ckpt_file") << "x";
  expect_refused(
      forgather(with(tiny(root(), (root() / "resume_file").string()),
                     {"train", "--max-steps", "1", "--resume", (root() / "ckpt_file").string()})),
      "ckpt_file' is a file, expected a directory");
}

TEST_F(HostileCliPath, TrainResumeFromAnEmptyDirectory) {
  fs::create_directories(root() / "empty_ckpt");
  expect_refused(
      forgather(with(tiny(root(), (root() / "resume_empty").string()),
                     {"train", "--max-steps", "1", "--resume", (root() / "empty_ckpt").string()})),
      "empty_ckpt': it is not a checkpoint (no trainer_state.json)");
}

TEST_F(HostileCliPath, TrainWithCacheUnderAFile) {
  std::ofstream(root() / "cache_file") << "x";
  expect_refused(
      forgather(with(tiny(root(), (root() / "out_cache").string()), {"train", "--max-steps", "1"}),
                "FORGATHER_CACHE=" + quoted((root() / "cache_file").string())),
      "cache_file' is a file");
}

TEST_F(HostileCliPath, TrainWithAHugeLearningRateEndsNonFinite) {
  const CliRun r = forgather(with(tiny(root(), (root() / "out_lr").string()),
                                  {"--set", "trainer_args.learning_rate=1e30", "--set",
                                   "trainer_args.warmup_steps=0", "train", "--max-steps", "3"}));
  expect_refused(r, "[Trainer] the run ended non-finite at step ");
  EXPECT_FALSE(fs::exists(root() / "out_lr" / "model.safetensors"));
}

TEST_F(HostileCliPath, EvalOutputThatIsADirectory) {
  fs::create_directories(root() / "eval_out_dir");
  expect_refused(
      forgather({"eval", model().string(), "--lengths", "16", "--max-blocks", "1", "-o",
                 (root() / "eval_out_dir").string()}),
      "[eval] cannot write '" + (root() / "eval_out_dir").string() + "': it is a directory");
}

TEST_F(HostileCliPath, EvalOutputInAMissingDirectory) {
  expect_refused(forgather({"eval", model().string(), "--lengths", "16", "-o",
                            (root() / "nope" / "e.json").string()}),
                 "nope' does not exist");
}

TEST_F(HostileCliPath, GenerateOnAMissingDirectory) {
  expect_refused(forgather({"generate", (root() / "no_model").string(), "--max-new-tokens", "2"}),
                 "model directory '" + (root() / "no_model").string() + "' does not exist");
}

TEST_F(HostileCliPath, GenerateOnAFile) {
  expect_refused(forgather({"generate", (model() / "config.json").string()}),
                 "config.json' is a file, expected a directory");
}

TEST_F(HostileCliPath, GenerateWithConfigJsonADirectory) {
  const fs::path dir = model_copy("config_dir");
  fs::remove(dir / "config.json");
  fs::create_directories(dir / "config.json");
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "config.json' is a directory, expected a regular file");
}

TEST_F(HostileCliPath, GenerateWithConfigJsonAFifo) {
  const fs::path dir = model_copy("config_fifo");
  fs::remove(dir / "config.json");
  ASSERT_EQ(::mkfifo((dir / "config.json").c_str(), 0644), 0);
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "config.json' is a FIFO (named pipe)");
}

TEST_F(HostileCliPath, GenerateWithEmptyConfigJson) {
  const fs::path dir = model_copy("config_empty");
  std::ofstream(dir / "config.json", std::ios::trunc).flush();
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "config.json: invalid JSON");
}

TEST_F(HostileCliPath, GenerateWithWeightsADirectory) {
  const fs::path dir = model_copy("weights_dir");
  fs::remove(dir / "model.safetensors");
  fs::create_directories(dir / "model.safetensors");
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "model.safetensors': it is a directory, expected a regular file");
}

TEST_F(HostileCliPath, GenerateWithTokenizerConfigAFifo) {
  const fs::path dir = model_copy("tok_fifo");
  fs::remove(dir / "tokenizer_config.json");
  ASSERT_EQ(::mkfifo((dir / "tokenizer_config.json").c_str(), 0644), 0);
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "tokenizer_config.json' is a FIFO (named pipe)");
}

TEST_F(HostileCliPath, GenerateWithPromptsFileADirectory) {
  expect_refused(forgather({"generate", model().string(), "--prompts-file", root().string()}),
                 "prompts file '" + root().string() + "' is a directory");
}

TEST_F(HostileCliPath, GenerateWithPromptsFileAFifo) {
  ASSERT_EQ(::mkfifo((root() / "prompts_fifo").c_str(), 0644), 0);
  expect_refused(forgather({"generate", model().string(), "--prompts-file",
                            (root() / "prompts_fifo").string()}),
                 "prompts_fifo' is a FIFO (named pipe)");
}

TEST_F(HostileCliPath, GenerateWithMissingPromptsFile) {
  expect_refused(forgather({"generate", model().string(), "--prompts-file",
                            (root() / "no_prompts.txt").string()}),
                 "prompts file '" + (root() / "no_prompts.txt").string() + "' does not exist");
}

TEST_F(HostileCliPath, GenerateWithNanWeights) {
  const fs::path dir = model_copy("nan_weights");
  poison_first_float(dir / "model.safetensors", std::nanf(""));
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "holds a non-finite value (nan) at element 0");
}

TEST_F(HostileCliPath, EvalWithInfWeights) {
  const fs::path dir = model_copy("inf_weights");
  poison_first_float(dir / "model.safetensors", HUGE_VALF);
  expect_refused(forgather({"eval", dir.string(), "--lengths", "16", "--max-blocks", "1"}),
                 "holds a non-finite value (inf) at element 0");
}

TEST_F(HostileCliPath, PpOutputFileThatIsADirectory) {
  expect_refused(forgather({"-p", kProject, "-t", "baseline.yaml", "pp", "-o", root().string()}),
                 "[cli] cannot write '" + root().string() + "': it is a directory");
}

TEST_F(HostileCliPath, TrainResumeFromACheckpointWithNanOptimizerState) {
  const fs::path ckpt = root() / "nan_ckpt";
  fs::copy(model() / "checkpoints" / "checkpoint-2", ckpt, fs::copy_options::recursive);
  poison_first_float(ckpt / "optimizer.safetensors", std::nanf(""));
  expect_refused(forgather(with(tiny(root(), (root() / "out_nan").string()),
                                {"train", "--max-steps", "3", "--resume", ckpt.string()})),
                 "[OptimizerState] '" + (ckpt / "optimizer.safetensors").string() + "': tensor '");
}

TEST_F(HostileCliPath, EvalDefaultOutputThatIsADirectory) {
  const fs::path dir = model_copy("eval_default_dir");
  fs::create_directories(dir / "eval_lengths.json");
  expect_refused(forgather({"eval", dir.string(), "--lengths", "16"}),
                 "eval_lengths.json': it is a directory");
}

TEST_F(HostileCliPath, GenerateWithTokenizerModelFileOutsideItsDirectory) {
  const fs::path dir = model_copy("tok_escape");
  std::ifstream in(dir / "tokenizer_config.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const size_t at = text.find("\"tokenizer.model\"");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 17, "\"../../../../etc/passwd\"");
  std::ofstream(dir / "tokenizer_config.json", std::ios::trunc) << text;
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "must be a file name inside the tokenizer directory");
}

TEST_F(HostileCliPath, GenerateWithEmptyWeights) {
  const fs::path dir = model_copy("empty_weights");
  std::ofstream(dir / "model.safetensors", std::ios::trunc).flush();
  expect_refused(forgather({"generate", dir.string(), "--max-new-tokens", "2"}),
                 "model.safetensors': file is 0 bytes");
}

TEST_F(HostileCliPath, GenerateOnAFifo) {
  ASSERT_EQ(::mkfifo((root() / "model_fifo").c_str(), 0644), 0);
  expect_refused(forgather({"generate", (root() / "model_fifo").string()}),
                 "model_fifo' is a FIFO (named pipe), expected a directory");
}

TEST_F(HostileCliPath, EvalOnADatasetThatIsAFifo) {
  ASSERT_EQ(::mkfifo((root() / "data_fifo").c_str(), 0644), 0);
  expect_refused(forgather({"eval", model().string(), "--lengths", "16", "--dataset",
                            (root() / "data_fifo").string()}),
                 "data_fifo' is a FIFO (named pipe)");
}

TEST_F(HostileCliPath, TokenizerDecodeOfADirectory) {
  expect_refused(
      forgather({"tokenizer", "decode", "--tokenizer", model().string(), root().string()}),
      "[tokenizer decode] cannot read '" + root().string() + "': it is a directory");
}

TEST_F(HostileCliPath, TokenizerEncodeOfAFifo) {
  ASSERT_EQ(::mkfifo((root() / "text_fifo").c_str(), 0644), 0);
  expect_refused(forgather({"tokenizer", "encode", "--tokenizer", model().string(),
                            (root() / "text_fifo").string()}),
                 "text_fifo' is a FIFO (named pipe)");
}

TEST_F(HostileCliPath, TrainWithCacheUnderProc) {
  expect_refused(forgather(with(tiny(root(), (root() / "out_proc_cache").string()),
                                {"train", "--max-steps", "1"}),
                           "FORGATHER_CACHE=/proc/fg_cache"),
                 "'/proc' does not allow creating entries");
}

}  // namespace
}  // namespace fg::cli
