#pragma once
// CUDA-graph capture of the steady-state training step (Backend::begin_capture). The forward
// and backward of a step are recorded once and launched again for every later step whose batch
// has the recorded shape; the batch is copied into the recording's input buffers first. The
// gradient clipping, the optimizer and the scheduler stay eager: their scalars (the learning
// rate, AdamW's bias corrections) change every step, and a recording would freeze them.
//
// When it is used (step_graph_mode): the backend supports capture, one process (no data
// parallelism), gradient_accumulation_steps 1, and the run has already made one eager step (its
// lazily made state, such as the optimizer's, exists before recording). A step whose batch shape
// differs from the recorded one runs eagerly and leaves the recording for the next step of that
// shape. Recording falls back to eager for the rest of the run, with the reason kept for the
// log, when the step needs the host in the middle (a host copy or a synchronisation, which a
// recording cannot hold).
// Dropout: every draw a step takes from the dropout stream is a kernel's counter base, so a
// replay moves the recorded bases on by the stream's advance since recording (GraphCapture::
// replay) and advances the stream as the eager step would: fresh masks, bit-identical to eager.
// bf16 autocast: the weights' bf16 conversions are recorded with the step and rerun each replay.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tensor/shape.h"

namespace fg::train {

struct StepGraphConditions {
  bool backend_supports_capture = false;
  int64_t world_size = 1;
  int64_t gradient_accumulation_steps = 1;
  std::string failed;  // why an earlier recording was abandoned ("" if none)
};

// "" when the run may record its step, else why not (for logs and tests).
std::string step_graph_refusal(const StepGraphConditions& c);

enum class StepGraphMode { Eager, Record, Replay };

// How to run the next step: `recorded` is the recorded batch shape (none yet), `eager_steps`
// the steps this run has made eagerly so far.
StepGraphMode step_graph_mode(const StepGraphConditions& c, const std::optional<Shape>& recorded,
                              const Shape& batch, int64_t eager_steps);

}  // namespace fg::train
