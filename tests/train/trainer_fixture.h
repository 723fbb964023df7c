#pragma once
// Shared by the trainer tests: a tiny model on byte-tokenised synthetic stories, fast enough
// for many short runs.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "data/synthetic_stories.h"
#include "data/tokenized_dataset.h"
#include "tiny_model.h"
#include "tokenizer/byte_tokenizer.h"
#include "train/trainer.h"

namespace fg::train {

struct TrainerFixture {
  std::filesystem::path dir;
  std::shared_ptr<tokenizer::ByteTokenizer> tok = std::make_shared<tokenizer::ByteTokenizer>();
  std::unique_ptr<data::TokenizedDataset> train_tokens, eval_tokens;
  std::shared_ptr<data::SampleSet> train, eval;

  explicit TrainerFixture(const std::string& name, int64_t stories = 64, int64_t max_length = 64) {
    dir = std::filesystem::temp_directory_path() / ("fg_trainer_test_" + name + "_" + run_id());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    data::TokenizeOptions to;
    to.cache_dir = dir / "cache";
    train_tokens = std::make_unique<data::TokenizedDataset>(data::TokenizedDataset::build(
        data::synthetic_stories({.seed = 1, .first = 0, .count = stories}), *tok, to));
    eval_tokens = std::make_unique<data::TokenizedDataset>(data::TokenizedDataset::build(
        data::synthetic_stories({.seed = 1, .first = 100000, .count = 8}), *tok, to));
    data::SampleOptions so;
    so.max_length = max_length;
    train = std::make_shared<data::SampleSet>(*train_tokens, so);
    eval = std::make_shared<data::SampleSet>(*eval_tokens, so);
  }
  ~TrainerFixture() { std::filesystem::remove_all(dir); }
  TrainerFixture(const TrainerFixture&) = delete;

  // The test process's pid, also in the child of a "threadsafe" death test (which re-executes
  // the test binary and inherits the environment), so both see the same directory.
  static std::string run_id() {
    if (const char* id = std::getenv("FG_TRAINER_TEST_RUN_ID")) return id;
    const std::string id = std::to_string(getpid());
    ::setenv("FG_TRAINER_TEST_RUN_ID", id.c_str(), 1);
    return id;
  }
  TrainerFixture& operator=(const TrainerFixture&) = delete;

  TrainerInputs inputs(uint64_t model_seed = 5, int64_t hidden = 32, bool dropout = true) const {
    TrainerInputs in;
    TinyModelSpec spec;
    spec.dropout = dropout;
    spec.hidden = hidden;
    spec.vocab = tokenizer::ByteTokenizer::kVocabSize;
    spec.seed = model_seed;
    in.model = tiny_model(spec);
    in.train_samples = train;
    in.eval_samples = eval;
    in.collator.pad_id = tok->pad_id();
    in.tokenizer = tok;
    in.config_text = "test: config\n";
    in.quiet = true;
    return in;
  }

  TrainingArguments args(int64_t max_steps) const {
    TrainingArguments a;
    a.output_dir = (dir / "out").string();
    a.max_steps = max_steps;
    a.num_train_epochs = 10;
    a.per_device_train_batch_size = 4;
    a.per_device_eval_batch_size = 4;
    a.learning_rate = 3e-3;
    a.warmup_steps = 2;
    a.logging_steps = 2;
    a.eval_strategy = IntervalStrategy::Steps;
    a.eval_steps = 4;
    a.save_steps = 4;
    a.seed = 7;
    return a;
  }

  // Trains `a` (keeping every checkpoint), then resumes from the checkpoint of step `from` into
  // another directory with a differently initialised model. Returns {full run, resumed run}.
  std::pair<TrainResult, TrainResult> train_and_resume(TrainingArguments a, int64_t from) const {
    a.output_dir = (dir / "full").string();
    a.save_total_limit = 0;
    TrainResult full = Trainer(a, inputs()).train();
    a.output_dir = (dir / "resumed").string();
    a.resume_from_checkpoint =
        (dir / "full" / "checkpoints" / ("checkpoint-" + std::to_string(from))).string();
    TrainResult resumed = Trainer(a, inputs(/*model_seed=*/99)).train();
    return {std::move(full), std::move(resumed)};
  }
};

}  // namespace fg::train
