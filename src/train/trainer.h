#pragma once
// The training loop of spec-ml §5: forward, loss, backward, clip, step, schedule, zero the
// gradients; periodic logging, evaluation, text samples and atomic checkpoints with exact resume.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/collator.h"
#include "data/samples.h"
#include "dist/communicator.h"
#include "nn/causal_lm.h"
#include "optim/optimizer.h"
#include "tokenizer/tokenizer.h"
#include "train/progress.h"
#include "train/sampling.h"
#include "train/training_arguments.h"

namespace fg::train {

class DataParallel;  // train/data_parallel.h

// Builds the optimizer for the model's trainable parameters (the config's optimizer factory);
// empty: AdamW from the training arguments, as the original.
using OptimizerFactory =
    std::function<std::unique_ptr<optim::Optimizer>(std::vector<optim::NamedParameter>)>;

struct TextGenerationSettings {
  std::vector<std::string> prompts;  // empty: no samples
  SamplingOptions sampling;
  int64_t generation_steps = 0;  // 0: at every evaluation
};

struct TrainerInputs {
  std::shared_ptr<nn::CausalLM> model;
  std::shared_ptr<const data::SampleSet> train_samples;
  std::shared_ptr<const data::SampleSet> eval_samples;  // may be null: no evaluation
  data::CollatorOptions collator;
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer;  // for samples and the model directory
  OptimizerFactory optimizer_factory;
  TextGenerationSettings generation;
  std::string config_name;         // for logs
  std::string config_description;  // for logs
  std::string config_text;         // the resolved config: hashed into checkpoints, logged to TB
  nlohmann::json model_config;     // written to config.json in output_dir
  bool quiet = false;              // no console output (tests)
  // Where the run computes: the Trainer moves the model there once (it is built and initialised
  // on the host), puts each batch there, and keeps the optimizer state there. Checkpoints are
  // written from host copies and load onto whatever device the resuming run uses. A device
  // other than the host needs its backend registered in the current fg::Runtime.
  Device device = Device::cpu();
  // The ranks of a data-parallel run (not owned); null: this process alone. Rank 0 alone writes
  // logs, samples, checkpoints and the model directory; the others are quiet.
  dist::Communicator* communicator = nullptr;
  // Optional hooks for tests and embedders. on_step_end runs after each step's logging,
  // evaluation and saving, before the interrupt check; before_checkpoint_commit runs with the
  // temporary directory once a checkpoint's files are written, just before it is committed.
  std::function<void(int64_t global_step)> on_step_end;
  std::function<void(const std::filesystem::path& pending_dir)> before_checkpoint_commit;
  // For embedders (the Python module): console_sink receives each console line instead of
  // stdout (and no live bar is drawn); on_progress receives every step's figures.
  std::function<void(const std::string& line)> console_sink;
  std::function<void(const ProgressStats& stats)> on_progress;
};

struct TrainResult {
  int64_t global_step = 0;
  double final_loss = NAN;  // mean loss of the last logging window
  std::optional<double> final_eval_loss;
  std::optional<double> best_eval_loss;
  int64_t skipped_steps = 0;
  double train_runtime = 0;  // seconds
  double tokens_per_second = 0;
  bool interrupted = false;
  std::vector<double> step_losses;  // every step's loss, in order (tests compare runs exactly)
};

struct EvalResult {
  double loss = NAN;
  double perplexity = NAN;
  int64_t batches = 0;
};

class Trainer {
 public:
  Trainer(TrainingArguments args, TrainerInputs inputs);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Runs to max_steps (or epochs), resuming first when args.resume_from_checkpoint is set.
  // Throws fg::Interrupted after saving a checkpoint when SIGINT/SIGTERM arrived, and fg::Error
  // when the run ends with a non-finite loss or weight (no model directory is written then).
  TrainResult train();
  EvalResult evaluate();

  // Resolved plan for --dry-run: steps, batches (per rank and global), tokens, paths.
  nlohmann::json plan() const;
  int64_t max_steps() const { return max_steps_; }
  // Steps run by launching the recorded step, and why recording was refused or abandoned ("" if
  // it was not); for logs and tests.
  int64_t graph_replays() const;
  std::string graph_refusal() const;
  int64_t steps_per_epoch() const { return steps_per_epoch_; }

 private:
  struct State;
  // trainer.cpp: the loop.
  void run_loop(TrainResult& result);
  double train_step(State& st, TrainResult& result);
  // trainer_graph.cpp: the step as a graph recording (train/step_graph.h). False: run it eagerly.
  bool graphed_step(State& st, const data::Batch& batch, const BatchRows& rows, double& loss);
  bool record_step(State& st, const data::Batch& batch, const BatchRows& rows);
  // trainer_io.cpp: logs, checkpoints, resume, the model directory.
  void prepare_run(State& st);
  void finish_run(State& st, TrainResult& result, int64_t start_step);
  void maybe_log_eval_save(State& st, TrainResult& result, bool force_save);
  void log_window(State& st);
  void run_evaluation(State& st, TrainResult& result);
  void save_checkpoint(State& st);
  // trainer_finite.cpp: why the model or the last step is not finite ("" when all is finite).
  std::string non_finite_state(const State& st) const;
  void fail_if_ended_non_finite(const State& st, const TrainResult& result,
                                int64_t start_step) const;
  void resume(State& st, const std::string& checkpoint);
  void write_model_directory();
  nlohmann::json model_directory_config() const;  // config.json: model_config + token ids
  void log_samples(State& st);
  void console(const std::string& line) const;

  TrainingArguments args_;
  TrainerInputs in_;
  int64_t steps_per_epoch_ = 0;
  int64_t max_steps_ = 0;
  std::string logging_dir_;
  uint64_t seed_ = 0;  // resolved from args_.seed (clock when -1)
  void make_loader();
  void use_device();  // checks the run's device and moves the model there
  std::unique_ptr<dist::Communicator> single_process_;  // when no communicator is given
  std::unique_ptr<DataParallel> dp_;
  std::unique_ptr<State> state_;
};

}  // namespace fg::train
