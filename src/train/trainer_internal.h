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
#include "kernels/capabilities.h"
#include "optim/lr_schedule.h"
#include "optim/optimizer.h"
#include "tensor/deferred_id_checks.h"
#include "train/interrupt.h"
#include "train/progress.h"
#include "train/step_graph.h"
#include "train/step_triggers.h"
#include "train/trainer.h"
#include "train/trainer_state.h"

namespace fg::train {

// The recorded training step (train/step_graph.h) and what it keeps alive: its input buffers,
// its loss, the gradients it writes, and its deferred id checks.
struct StepGraph {
  kernels::GraphCapture* backend = nullptr;  // set while a recording exists
  std::optional<Shape> recorded;
  Tensor ids, labels, loss;
  std::vector<Tensor> grads;  // per optimizer parameter, in params() order (undefined if unused)
  std::unique_ptr<DeferredIdChecks> checks;
  int64_t eager_steps = 0;
  int64_t replays = 0;
  // The dropout stream's counter when the recording was made, and how many draws one step takes:
  // a replay moves the recorded counters on by (counter now - rng_start) and advances the
  // stream by rng_draws, as the eager step would have.
  uint64_t rng_start = 0;
  uint64_t rng_draws = 0;
  std::string failed;  // why recording was abandoned
  StepGraph() = default;
  StepGraph(const StepGraph&) = delete;
  StepGraph& operator=(const StepGraph&) = delete;
  ~StepGraph() {
    if (backend) backend->release_graph();  // before the tensors it addresses are freed
  }
};

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
  StepGraph graph;
};

}  // namespace fg::train
