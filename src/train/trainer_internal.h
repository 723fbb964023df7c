#pragma once
// The Trainer's per-run state, shared by trainer.cpp (the loop) and trainer_io.cpp
// (checkpoints, resume, logs, the model directory). Not a public header.
#include <memory>
#include <optional>

#include "core/rng.h"
#include "core/timer.h"
#include "data/data_loader.h"
#include "formats/event_writer.h"
#include "formats/json_log.h"
#include "optim/lr_schedule.h"
#include "optim/optimizer.h"
#include "train/interrupt.h"
#include "train/progress.h"
#include "train/step_triggers.h"
#include "train/trainer.h"
#include "train/trainer_state.h"

namespace fg::train {

struct Trainer::State {
  std::unique_ptr<optim::Optimizer> optimizer;
  std::unique_ptr<optim::LRScheduler> scheduler;
  std::unique_ptr<data::DataLoader> loader;
  Rng dropout_rng;
  int64_t global_step = 0;
  int64_t last_save_step = -1;
  std::optional<double> best_eval_loss;
  PeriodicTrigger log_trigger, eval_trigger, save_trigger;
  int64_t next_sample_step = 0;  // text samples at the first evaluation at or after this step
  LogAccumulator window;
  NonFiniteGuard non_finite;
  std::optional<double> last_loss;  // the latest step's loss (unset before the first step)
  std::unique_ptr<formats::JsonLogWriter> json_log;
  std::unique_ptr<formats::EventWriter> events;
  std::unique_ptr<ProgressReporter> progress;
  std::unique_ptr<InterruptGuard> interrupt;
  Timer run_timer;
  Timer window_timer;
  int64_t run_tokens = 0;
  TrainerState fingerprint;  // config/tokenizer/geometry/model fingerprints of this run
};

}  // namespace fg::train
