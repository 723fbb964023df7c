#include "train/trainer.h"

#include <cmath>
#include <optional>

#include "autograd/grad_ready.h"
#include "core/check.h"
#include "kernels/backend.h"
#include "kernels/capabilities.h"
#include "optim/adamw.h"
#include "optim/clip_grad.h"
#include "tensor/autocast.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "train/data_parallel.h"
#include "train/trainer_internal.h"

namespace fg::train {
namespace {

Tensor ids_tensor(const std::vector<int64_t>& ids, int64_t batch, int64_t seq, Device device) {
  return Tensor::from_vector_i64(ids, {batch, seq}, device);
}

int64_t count_tokens(const data::Batch& b) {
  int64_t n = 0;
  for (int64_t m : b.attention_mask) n += m;
  return n;
}

uint64_t resolve_seed(int64_t seed) {
  if (seed >= 0) return static_cast<uint64_t>(seed);
  return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

Trainer::Trainer(TrainingArguments args, TrainerInputs inputs)
    : args_(std::move(args)), in_(std::move(inputs)), state_(std::make_unique<State>()) {
  args_.validate();
  FG_CHECK(in_.model != nullptr, "[Trainer] no model given");
  FG_CHECK(in_.train_samples != nullptr, "[Trainer] no train dataset given");
  FG_CHECK(in_.train_samples->size() > 0, "[Trainer] the train dataset is empty");
  if (!in_.communicator) single_process_ = std::make_unique<dist::SingleProcessCommunicator>();
  dp_ = std::make_unique<DataParallel>(in_.communicator ? *in_.communicator : *single_process_);
  if (!dp_->is_main()) in_.quiet = true;

  use_device();
  seed_ = dp_->agree_seed(resolve_seed(args_.seed));
  make_loader();
  State& st = *state_;
  steps_per_epoch_ =
      std::max<int64_t>(1, st.loader->batches_per_epoch() / args_.gradient_accumulation_steps);
  // As the original: max_steps >= 0 caps epochs * steps_per_epoch.
  max_steps_ = steps_per_epoch_ * std::max<int64_t>(args_.num_train_epochs, 1);
  if (args_.max_steps >= 0) max_steps_ = std::min(max_steps_, args_.max_steps);
  st.dropout_rng = Rng(mix64(seed_ ^ 0xD20F));
  logging_dir_ = args_.logging_dir;
}

void Trainer::use_device() {
  const Device device = in_.device;
  kernels::Backend& backend = backend_for(device);  // refuses a device with no backend
  FG_CHECK(!args_.bf16 || backend.supports(kernels::Kernel::Gemm, DType::BF16),
           "[Trainer] bf16: true needs bf16 GEMMs, which the {} backend does not support",
           device.to_string());
  // Backends without a TF32 mode (the CPU) compute exact f32 whatever the argument says.
  if (auto* tf32 = kernels::capability<kernels::Tf32Mode>(backend)) tf32->set_tf32(args_.tf32);
  in_.model->to(device);  // once: built and initialised on the host
}

void Trainer::make_loader() {
  data::DataLoaderOptions lo;
  lo.batch_size = args_.per_device_train_batch_size;
  lo.drop_last = args_.dataloader_drop_last;
  lo.seed = seed_;
  lo.rank = dp_->rank();  // rank r reads samples r, r + world, ... of each global batch
  lo.world_size = dp_->world_size();
  state_->loader =
      std::make_unique<data::DataLoader>(*in_.train_samples, data::Collator(in_.collator), lo);
}

Trainer::~Trainer() = default;

void Trainer::console(const std::string& line) const {
  if (in_.quiet) return;
  if (in_.console_sink) {
    in_.console_sink(line);
  } else if (state_->progress) {
    state_->progress->log_line(line);
  } else {
    std::fprintf(stdout, "%s\n", line.c_str());
    std::fflush(stdout);
  }
}

double Trainer::train_step(State& st, TrainResult& result) {
  nn::CausalLM& model = *in_.model;
  double loss_sum = 0;
  int64_t tokens = 0;
  const int64_t accumulation = args_.gradient_accumulation_steps;
  nn::ForwardContext ctx;
  ctx.rng = &st.dropout_rng;
  const bool alone = dp_->world_size() == 1;
  std::vector<optim::NamedParameter> params = st.optimizer->params();
  // One autocast scope per optimizer step: each weight's bf16 copy serves every micro-batch.
  std::optional<AutocastGuard> mixed;
  if (args_.bf16) mixed.emplace();
  for (int64_t micro = 0; micro < accumulation; ++micro) {
    std::optional<data::Batch> batch = st.loader->next();
    if (!batch) batch = st.loader->next();  // the epoch ended: continue with the next one
    FG_CHECK(batch.has_value(), "[Trainer] the train data loader produced no batch");
    const GlobalBatch global = dp_->agree_batch(*batch, in_.collator);
    ctx.batch_rows = global.rows;
    tokens += count_tokens(*batch);
    if (alone && accumulation == 1) {
      double loss = 0;
      if (graphed_step(st, *batch, global.rows, loss)) {
        loss_sum += loss;
        continue;
      }
    }
    Tensor ids = ids_tensor(batch->input_ids, batch->batch, batch->seq, in_.device);
    Tensor labels = ids_tensor(batch->labels, batch->batch, batch->seq, in_.device);
    nn::CausalLMOutput out = model.forward(ids, labels, ctx);
    // Each rank's mean loss weighs by its share of the global batch's loss tokens, so the summed
    // gradients are those of the global batch's mean loss. A rank without loss tokens adds none.
    const double weight = alone ? 1.0 : global.loss_weight();
    if (weight == 0.0) continue;
    loss_sum += out.loss.item() * weight;
    const double factor = weight / static_cast<double>(accumulation);
    Tensor scaled = factor != 1.0 ? ops::scale(out.loss, static_cast<float>(factor)) : out.loss;
    // The last micro-batch's backward starts each gradient bucket's all-reduce once it is final.
    std::optional<autograd::GradReadyHook> overlap;
    if (!alone && micro == accumulation - 1) overlap.emplace(dp_->grad_ready_hook(params));
    scaled.backward();
  }
  mixed.reset();
  dp_->sum_gradients(params);
  if (!alone) {
    std::vector<double> sums = {loss_sum, static_cast<double>(tokens)};
    dp_->sum(sums);
    loss_sum = sums[0];
    tokens = static_cast<int64_t>(sums[1]);
  }
  const double grad_norm = optim::clip_grad_norm(params, args_.max_grad_norm);
  const double step_loss = loss_sum / accumulation;
  st.last_loss = step_loss;
  if (st.non_finite.check(st.global_step + 1, step_loss, grad_norm)) {
    st.optimizer->step();
  } else {
    console(fmt::format("[Trainer] step {}: non-finite loss {} or gradient norm {}; update skipped",
                        st.global_step + 1, step_loss, grad_norm));
  }
  st.optimizer->zero_grad();
  st.scheduler->step();
  ++st.global_step;
  st.window.add_step(step_loss, grad_norm, tokens);
  st.run_tokens += tokens;
  result.step_losses.push_back(step_loss);
  return step_loss;
}

EvalResult Trainer::evaluate() {
  EvalResult r;
  if (!in_.eval_samples || in_.eval_samples->size() == 0) return r;
  nn::CausalLM& model = *in_.model;
  const bool was_training = model.is_training();
  model.eval();
  NoGradGuard no_grad;
  AutocastGuard mixed(args_.bf16);  // evaluation runs at the training precision, as HF's
  data::DataLoaderOptions lo;
  lo.batch_size = args_.per_device_eval_batch_size;
  lo.rank = dp_->rank();
  lo.world_size = dp_->world_size();
  data::DataLoader loader(*in_.eval_samples, data::Collator(in_.collator), lo);
  double sum = 0;
  while (auto batch = loader.next()) {
    if (args_.max_eval_steps >= 0 && r.batches >= args_.max_eval_steps) break;
    const GlobalBatch global = dp_->agree_batch(*batch, in_.collator);
    Tensor ids = ids_tensor(batch->input_ids, batch->batch, batch->seq, in_.device);
    Tensor labels = ids_tensor(batch->labels, batch->batch, batch->seq, in_.device);
    double loss = model.forward(ids, labels, nn::ForwardContext{}).loss.item();
    if (dp_->world_size() > 1) {  // the global batch's mean: token-weighted over ranks
      std::vector<double> part = {global.local_tokens > 0 ? loss * global.loss_weight() : 0.0};
      dp_->sum(part);
      loss = part[0];
    }
    sum += loss;
    ++r.batches;
    if (loader.epoch() > 0) break;
  }
  model.train(was_training);
  if (r.batches > 0) {
    r.loss = sum / r.batches;  // a mean of per-batch means, as the original
    r.perplexity = r.loss > 700 ? INFINITY : std::exp(r.loss);
  }
  return r;
}

TrainResult Trainer::train() {
  State& st = *state_;
  TrainResult result;
  std::vector<optim::NamedParameter> params;
  for (auto& [name, t] : in_.model->named_parameters()) {
    if (t.requires_grad()) params.emplace_back(name, t);
  }
  if (in_.optimizer_factory) {
    st.optimizer = in_.optimizer_factory(params);
    st.optimizer->set_lr(args_.learning_rate);
  } else {
    optim::AdamWOptions o;
    o.lr = args_.learning_rate;
    o.beta1 = args_.adam_beta1;
    o.beta2 = args_.adam_beta2;
    o.eps = args_.adam_epsilon;
    o.weight_decay = args_.weight_decay;
    st.optimizer = std::make_unique<optim::AdamW>(params, o);
  }
  optim::ScheduleOptions so;
  so.type = optim::parse_schedule_type(args_.lr_scheduler_type);
  so.warmup_steps = args_.warmup_steps;
  so.warmup_ratio = args_.warmup_ratio;
  so.total_steps = max_steps_;
  st.scheduler = std::make_unique<optim::LRScheduler>(*st.optimizer, so);

  dp_->check_same_run(run_fingerprint(args_, in_.config_text));
  prepare_run(st);
  dp_->broadcast_weights(*in_.model);
  dp_->check_identical_weights(*in_.model);
  in_.model->train();
  run_loop(result);
  return result;
}

void Trainer::run_loop(TrainResult& result) {
  State& st = *state_;
  st.run_timer.reset();
  st.window_timer.reset();
  const int64_t start_step = st.global_step;
  while (st.global_step < max_steps_) {
    train_step(st, result);
    if (st.progress || in_.on_progress) {
      const double elapsed = st.run_timer.seconds();
      const ProgressStats stats{.step = st.global_step,
                                .total_steps = max_steps_,
                                .epoch = static_cast<double>(st.global_step) / steps_per_epoch_,
                                .loss = result.step_losses.back(),
                                .learning_rate = st.scheduler->last_lr(),
                                .grad_norm = st.window.rms_grad_norm(),
                                .tokens_per_second = elapsed > 0 ? st.run_tokens / elapsed : 0,
                                .elapsed_seconds = elapsed};
      if (st.progress) st.progress->update(stats);
      if (in_.on_progress) in_.on_progress(stats);
    }
    maybe_log_eval_save(st, result, false);
    if (in_.on_step_end) in_.on_step_end(st.global_step);
    // Every rank stops at the same step when any rank was interrupted.
    if (dp_->any(st.interrupt && st.interrupt->requested())) {
      result.interrupted = true;
      break;
    }
  }
  finish_run(st, result, start_step);
}

}  // namespace fg::train
