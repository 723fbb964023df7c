// The training step as a graph recording (train/step_graph.h): recorded once after an eager
// step, then launched for every step of the same batch shape; eager whenever it cannot be used.
#include <fmt/format.h>

#include "core/error.h"
#include "kernels/capabilities.h"
#include "train/data_parallel.h"
#include "train/trainer_internal.h"

namespace fg::train {

int64_t Trainer::graph_replays() const {
  return state_->graph.replays;
}

std::string Trainer::graph_refusal() const {
  const State& st = *state_;
  return step_graph_refusal({kernels::graph_capture(backend_for(in_.device)) != nullptr,
                             dp_->world_size(), args_.gradient_accumulation_steps,
                             st.graph.failed});
}

bool Trainer::record_step(State& st, const data::Batch& batch, const BatchRows& rows) {
  StepGraph& g = st.graph;
  kernels::GraphCapture& backend = *kernels::graph_capture(backend_for(in_.device));
  // The input buffers are made before recording, so they are ordinary memory the host refills.
  g.ids = Tensor::from_vector_i64(batch.input_ids, {batch.batch, batch.seq}, in_.device);
  g.labels = Tensor::from_vector_i64(batch.labels, {batch.batch, batch.seq}, in_.device);
  g.checks = std::make_unique<DeferredIdChecks>();
  const RngState rng_before = st.dropout_rng.state();
  nn::ForwardContext ctx;
  ctx.rng = &st.dropout_rng;
  ctx.batch_rows = rows;
  std::string failure;
  backend.begin_capture();
  g.backend = &backend;
  g.checks->start();
  try {
    nn::CausalLMOutput out = in_.model->forward(g.ids, g.labels, ctx);
    out.loss.backward();
    g.loss = out.loss;
  } catch (const Error& e) {
    failure = e.what();
  }
  g.checks->stop();
  try {
    backend.end_capture();
  } catch (const Error& e) {
    if (failure.empty()) failure = e.what();
  }
  if (failure.empty() && st.dropout_rng.state().seed != rng_before.seed)
    failure = "the step reseeds the dropout stream, which a recording would freeze";
  if (!failure.empty()) {
    // Nothing recorded ran: drop it, and the gradients it would have written, and run eagerly.
    st.optimizer->zero_grad();
    g.ids = g.labels = g.loss = Tensor();
    g.checks.reset();
    backend.release_graph();
    g.backend = nullptr;
    st.dropout_rng.set_state(rng_before);
    g.failed = "recording the step failed (" + failure + ")";
    console("[Trainer] training step not recorded as a graph; running eagerly: " + failure);
    return false;
  }
  g.recorded = Shape{batch.batch, batch.seq};
  g.rng_start = rng_before.counter;
  g.rng_draws = st.dropout_rng.state().counter - rng_before.counter;
  console(fmt::format(
      "[Trainer] recorded the training step as a graph on {} (batch {}x{}); steps of that shape "
      "replay it",
      in_.device.to_string(), batch.batch, batch.seq));
  g.grads.clear();
  for (const auto& [name, p] : st.optimizer->params()) g.grads.push_back(p.grad());
  return true;
}

bool Trainer::graphed_step(State& st, const data::Batch& batch, const BatchRows& rows,
                           double& loss) {
  StepGraph& g = st.graph;
  const StepGraphConditions conditions{kernels::graph_capture(backend_for(in_.device)) != nullptr,
                                       dp_->world_size(), args_.gradient_accumulation_steps,
                                       g.failed};
  switch (step_graph_mode(conditions, g.recorded, Shape{batch.batch, batch.seq}, g.eager_steps)) {
    case StepGraphMode::Eager:
      ++g.eager_steps;
      return false;
    case StepGraphMode::Record:
      if (!record_step(st, batch, rows)) {
        ++g.eager_steps;
        return false;
      }
      break;
    case StepGraphMode::Replay:
      g.ids.copy_(Tensor::from_vector_i64(batch.input_ids, {batch.batch, batch.seq}));
      g.labels.copy_(Tensor::from_vector_i64(batch.labels, {batch.batch, batch.seq}));
      // The draws the eager step would take now: the recorded ones, moved on.
      st.dropout_rng.reserve(g.rng_draws);
      break;
  }
  // Right after recording the stream is where the recording left it (shift 0); later, the
  // counters move on by the stream's advance since then.
  g.backend->replay(st.dropout_rng.state().counter - g.rng_draws - g.rng_start);
  ++g.replays;
  g.checks->verify();  // a bad id stops the run before the optimizer uses the step
  std::vector<optim::NamedParameter> params = st.optimizer->params();
  for (size_t i = 0; i < params.size() && i < g.grads.size(); ++i)
    if (g.grads[i].defined()) params[i].second.set_grad(g.grads[i]);
  loss = g.loss.item();
  return true;
}

}  // namespace fg::train
