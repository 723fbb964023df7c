// The Trainer's side effects: logs (console, trainer_logs.json, TensorBoard), evaluation and
// text samples, atomic checkpoints, resume, and the final model directory.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "core/check.h"
#include "core/checked_fs.h"
#include "data/sha256.h"
#include "formats/checkpoint_dir.h"
#include "optim/state_io.h"
#include "train/data_parallel.h"
#include "train/generation.h"
#include "train/model_io.h"
#include "train/trainer_internal.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

using json = nlohmann::json;

std::string file_time() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H-%M-%S", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

// Whether checkpoint `dir` sits in `checkpoints` (false when either path cannot be resolved).
bool is_checkpoint_in(const fs::path& dir, const fs::path& checkpoints) {
  std::error_code ec1, ec2;
  const fs::path parent = fs::weakly_canonical(dir, ec1).parent_path();
  return !ec1 && parent == fs::weakly_canonical(checkpoints, ec2) && !ec2;
}

// Whether `path` resolves to a location strictly inside `dir` (symlinks resolved).
bool is_inside(const fs::path& path, const fs::path& dir) {
  if (path.empty()) return false;
  std::error_code ec1, ec2;
  const fs::path p = fs::weakly_canonical(path, ec1), d = fs::weakly_canonical(dir, ec2);
  if (ec1 || ec2) return false;
  const fs::path rel = p.lexically_relative(d);
  return !rel.empty() && rel != "." && *rel.begin() != "..";
}

}  // namespace

void Trainer::prepare_run(State& st) {
  const fs::path output_dir = args_.output_dir;
  const bool main_rank = dp_->is_main();  // the only rank that writes
  if (main_rank) create_directories_checked(output_dir, "Trainer", "output directory");
  formats::CheckpointDirectory checkpoints(output_dir / "checkpoints");
  if (main_rank) {
    for (const auto& removed : checkpoints.remove_stale_temps())
      console("[Trainer] removed an interrupted checkpoint write: " + removed.string());
  }

  // Fingerprints that a resume must match.
  st.fingerprint.config_hash = data::sha256_hex(in_.config_text);
  st.fingerprint.tokenizer_hash =
      in_.tokenizer ? data::sha256_hex(in_.tokenizer->fingerprint_material()) : "none";
  st.fingerprint.train_data_hash = train_data_fingerprint(*in_.train_samples);
  const auto& so = in_.train_samples->options();
  st.fingerprint.batch_geometry = {
      {"train_batch_size", args_.per_device_train_batch_size * dp_->world_size()},
      {"gradient_accumulation_steps", args_.gradient_accumulation_steps},
      {"sample_mode", static_cast<int>(so.mode)},
      {"max_length", so.max_length},
      {"block_size", so.block_size},
      {"num_train_samples", in_.train_samples->size()}};
  st.fingerprint.model_signature = model_signature(*in_.model);

  std::string checkpoint;
  if (args_.resume_from_checkpoint == "latest") {
    if (auto latest = checkpoints.latest()) {
      checkpoint = latest->path.string();
    } else {
      console("[Trainer] no checkpoint in " + checkpoints.root().string() +
              "; starting from scratch");
    }
  } else if (!args_.resume_from_checkpoint.empty()) {
    checkpoint = args_.resume_from_checkpoint;
  }
  if (checkpoint.empty() && !args_.overwrite_output_dir &&
      (checkpoints.latest() || exists_checked(output_dir / "model.safetensors", "Trainer"))) {
    throw Error("[Trainer] " + output_dir.string() +
                " already holds a trained model or checkpoints: continue it with --resume, or "
                "start over with --overwrite-output-dir (overwrite_output_dir: true)");
  }
  if (checkpoint.empty() && args_.overwrite_output_dir && main_rank) {
    // Starting over: the old run's checkpoints would otherwise outrank the new run's by step.
    for (const auto& old : checkpoints.list()) {
      remove_all_checked(old.path, "Trainer");
      console("[Trainer] overwrite_output_dir: removed " + old.path.string());
    }
  }
  if (!checkpoint.empty()) resume(st, checkpoint);
  if (!main_rank) {  // no logs: the other ranks only train
    st.interrupt = std::make_unique<InterruptGuard>();
    st.log_trigger = PeriodicTrigger(args_.logging_strategy, args_.logging_steps, steps_per_epoch_);
    st.eval_trigger =
        PeriodicTrigger(args_.eval_strategy, args_.eval_steps, steps_per_epoch_, args_.eval_delay);
    st.save_trigger = PeriodicTrigger(args_.save_strategy, args_.save_steps, steps_per_epoch_);
    return;
  }

  if (logging_dir_.empty())
    logging_dir_ = (output_dir / "runs" / (file_time() + "_" + host_name())).string();
  create_directories_checked(logging_dir_, "Trainer", "logging directory");
  const fs::path log_path = fs::path(logging_dir_) / "trainer_logs.json";
  st.json_log = std::make_unique<formats::JsonLogWriter>(
      checkpoint.empty() && !exists_checked(log_path, "Trainer")
          ? formats::JsonLogWriter::create(log_path)
          : formats::JsonLogWriter::resume(log_path, st.global_step));
  formats::EventWriterOptions eo;
  eo.log_dir = logging_dir_;
  st.events = std::make_unique<formats::EventWriter>(eo);
  if (!checkpoint.empty()) st.events->add_session_start(st.global_step);

  if (!in_.quiet && !in_.console_sink) {
    st.progress = std::make_unique<ProgressReporter>(stdout, ProgressReporter::is_terminal(stdout));
  }
  st.interrupt = std::make_unique<InterruptGuard>();
  st.log_trigger = PeriodicTrigger(args_.logging_strategy, args_.logging_steps, steps_per_epoch_);
  st.eval_trigger =
      PeriodicTrigger(args_.eval_strategy, args_.eval_steps, steps_per_epoch_, args_.eval_delay);
  st.save_trigger = PeriodicTrigger(args_.save_strategy, args_.save_steps, steps_per_epoch_);

  const int64_t params = in_.model->num_parameters();
  const std::string info = fmt::format(
      "total_examples: {}, per_device_train_batch_size: {}, gradient_accumulation_steps: {}, "
      "max_steps: {}, steps_per_epoch: {}, total_parameters: {}, trainable_parameters: {}",
      in_.train_samples->size(), args_.per_device_train_batch_size,
      args_.gradient_accumulation_steps, max_steps_, steps_per_epoch_, params,
      in_.model->num_parameters(true));
  console("[Trainer] " + info);
  if (checkpoint.empty()) {
    st.events->add_text("experiment",
                        fmt::format("## {}\n{}\n\n```yaml\n{}\n```", in_.config_name,
                                    in_.config_description, in_.config_text),
                        0);
    st.events->add_text("training_info", info + "\n\n" + args_.to_json().dump(2), 0);
  }
}

void Trainer::resume(State& st, const std::string& checkpoint) {
  const fs::path dir = checkpoint;
  require_directory(dir, "Trainer", "checkpoint to resume from");
  const fs::path state_path = dir / "trainer_state.json";
  if (!exists_checked(state_path, "Trainer"))
    throw Error("[Trainer] cannot resume from '" + dir.string() +
                "': it is not a checkpoint (no trainer_state.json)");
  TrainerState saved =
      TrainerState::from_text(read_file_checked(state_path, "Trainer"), state_path.string());
  if (saved.batch_geometry.contains("per_device_train_batch_size")) {  // saved by one process
    saved.batch_geometry["train_batch_size"] = saved.batch_geometry["per_device_train_batch_size"];
    saved.batch_geometry.erase("per_device_train_batch_size");
  }
  check_resume_compatible(saved, st.fingerprint, dir.string());

  require_regular_file(dir / "model.safetensors", "Trainer", "checkpoint weights");
  load_model_weights(*in_.model, dir / "model.safetensors");
  if (exists_checked(dir / "optimizer.safetensors", "Trainer")) {
    auto loaded = optim::load_optimizer_state(dir / "optimizer.safetensors");
    st.optimizer->load_state(loaded.state);
  }
  st.scheduler->load_state(saved.scheduler_step);
  st.dropout_rng.set_state(saved.dropout_rng);
  if (args_.seed < 0 && saved.seed != 0 && saved.seed != seed_) {  // the run's clock seed
    seed_ = saved.seed;
    make_loader();
  }
  st.loader->set_position(rebase_position(
      data::LoaderPosition::from_json(saved.data_loader_position), st.loader->position()));
  st.global_step = saved.global_step;
  st.last_save_step = saved.global_step;
  st.best_eval_loss = saved.best_eval_loss;
  // Continue the same logs only when resuming this output directory's own checkpoint.
  // The saved path is data from the checkpoint: it is used only inside this output directory.
  if (logging_dir_.empty() && is_checkpoint_in(dir, fs::path(args_.output_dir) / "checkpoints")) {
    if (is_inside(saved.logging_dir, args_.output_dir)) {
      logging_dir_ = saved.logging_dir;
    } else {
      console("[Trainer] " + state_path.string() + ": ignoring logging_dir '" + saved.logging_dir +
              "', which is outside " + args_.output_dir + "; logging to a new directory");
    }
  }
  console(fmt::format("[Trainer] resumed from {} at step {}", dir.string(), saved.global_step));
}

void Trainer::log_window(State& st) {
  if (st.window.empty()) return;
  if (!st.json_log) {  // not the main rank
    st.window.reset();
    st.window_timer.reset();
    return;
  }
  const double epoch = static_cast<double>(st.global_step) / steps_per_epoch_;
  const double seconds = st.window_timer.seconds();
  const double tps = seconds > 0 ? st.window.tokens() / seconds : 0;
  const double lr = st.scheduler->last_lr();
  json metrics = {{"loss", st.window.mean_loss()},
                  {"grad_norm", st.window.rms_grad_norm()},
                  {"max_grad_norm", st.window.max_grad_norm()},
                  {"learning_rate", lr},
                  {"tokens_per_second", tps}};
  if (st.non_finite.total_skipped() > 0) metrics["skipped_steps"] = st.non_finite.total_skipped();
  st.json_log->log(st.global_step, epoch, metrics);
  st.events->add_scalars(st.global_step, {{"train-loss", st.window.mean_loss()},
                                          {"learning-rate", lr},
                                          {"grad-norm", st.window.rms_grad_norm()},
                                          {"grad-norm[max]", st.window.max_grad_norm()},
                                          {"tokens-per-second", tps}});
  st.events->flush();
  console(format_train_log_line(local_timestamp(), st.global_step, epoch, st.window.mean_loss(),
                                st.window.rms_grad_norm(), lr));
  st.window.reset();
  st.window_timer.reset();
}

void Trainer::run_evaluation(State& st, TrainResult& result) {
  EvalResult ev = evaluate();
  if (ev.batches == 0) return;
  const double epoch = static_cast<double>(st.global_step) / steps_per_epoch_;
  result.final_eval_loss = ev.loss;
  if (!st.best_eval_loss || ev.loss < *st.best_eval_loss) st.best_eval_loss = ev.loss;
  result.best_eval_loss = st.best_eval_loss;
  if (!st.json_log) return;  // not the main rank
  st.json_log->log(st.global_step, epoch,
                   {{"eval_loss", ev.loss}, {"eval_perplexity", ev.perplexity}});
  st.events->add_scalars(st.global_step,
                         {{"eval-loss", ev.loss}, {"eval-perplexity", ev.perplexity}});
  console(format_eval_log_line(local_timestamp(), st.global_step, epoch, ev.loss));
  if (!in_.generation.prompts.empty() && st.global_step >= st.next_sample_step) {
    log_samples(st);
    st.next_sample_step = st.global_step + std::max<int64_t>(in_.generation.generation_steps, 1);
  }
  st.events->flush();
}

void Trainer::log_samples(State& st) {
  if (!in_.tokenizer || in_.generation.prompts.empty()) return;
  GenerationRequest req;
  req.sampling = in_.generation.sampling;
  req.eos_id = in_.tokenizer->eos_id();
  for (const auto& p : in_.generation.prompts) {
    auto ids = in_.tokenizer->encode(p);
    req.prompts.emplace_back(ids.begin(), ids.end());
  }
  GenerationResult gen = generate(*in_.model, req);
  std::string text;
  for (size_t i = 0; i < gen.new_tokens.size(); ++i) {
    std::vector<int32_t> ids(gen.new_tokens[i].begin(), gen.new_tokens[i].end());
    std::string sample = in_.generation.prompts[i] + " [START] " + in_.tokenizer->decode(ids);
    if (i) text += "\n\n---\n\n";
    text += sample;
  }
  st.events->add_text("eval-text", text, st.global_step);
  st.json_log->log(st.global_step, static_cast<double>(st.global_step) / steps_per_epoch_,
                   {{"eval_text", text}});
  console("[samples at step " + std::to_string(st.global_step) + "]\n" + text);
}

void Trainer::maybe_log_eval_save(State& st, TrainResult& result, bool force_save) {
  if (st.log_trigger.step(st.global_step) || (args_.logging_first_step && st.global_step == 1)) {
    result.final_loss = st.window.mean_loss();
    log_window(st);
  }
  if (st.eval_trigger.step(st.global_step)) run_evaluation(st, result);
  if (st.save_trigger.step(st.global_step) || force_save) save_checkpoint(st);
}

void Trainer::save_checkpoint(State& st) {
  if (!dp_->is_main()) {  // rank 0 writes; every rank holds the same weights and state
    st.last_save_step = st.global_step;
    dp_->comm().barrier();
    return;
  }
  if (const std::string reason = non_finite_state(st); !reason.empty()) {
    console(
        fmt::format("[Trainer] step {}: not saving a checkpoint: {}; the last finite "
                    "checkpoint is kept",
                    st.global_step, reason));
    dp_->comm().barrier();  // the other ranks wait for rank 0's save
    return;
  }
  formats::CheckpointDirectory checkpoints(fs::path(args_.output_dir) / "checkpoints");
  formats::PendingCheckpoint pending = checkpoints.begin(st.global_step);
  save_model_weights(*in_.model, pending.dir() / "model.safetensors");
  if (args_.save_optimizer_state) {
    optim::save_optimizer_state(pending.dir() / "optimizer.safetensors", st.optimizer->state(),
                                st.scheduler->state());
  }
  TrainerState ts = st.fingerprint;
  ts.global_step = st.global_step;
  ts.scheduler_step = st.scheduler->state();
  ts.dropout_rng = st.dropout_rng.state();
  ts.data_loader_position = st.loader->position().to_json();
  ts.logging_dir = logging_dir_;
  ts.best_eval_loss = st.best_eval_loss;
  ts.skipped_steps = st.non_finite.total_skipped();
  ts.seed = seed_;
  pending.write_text("trainer_state.json", ts.to_json().dump(2));
  pending.write_text("config.yaml", in_.config_text);
  pending.write_text("config.json", model_directory_config().dump(2) + "\n");  // loadable alone
  if (in_.before_checkpoint_commit) in_.before_checkpoint_commit(pending.dir());
  formats::CheckpointInfo info = pending.commit();
  st.last_save_step = st.global_step;
  for (const auto& removed : checkpoints.rotate(args_.save_total_limit))
    console("[Trainer] removed old checkpoint " + removed.filename().string());
  console("[Trainer] saved checkpoint " + info.path.string());
  dp_->comm().barrier();  // the other ranks go on once the checkpoint is complete
}

json Trainer::model_directory_config() const {
  json config = in_.model_config.is_null() ? json::object() : in_.model_config;
  // Parameters, not buffers: `compare` reads this rather than counting the weight file's tensors,
  // which also hold buffers such as the sinusoidal PE table.
  config["num_parameters"] = in_.model->num_parameters();
  if (in_.tokenizer) {
    config["vocab_size"] = in_.tokenizer->vocab_size();
    config["pad_token_id"] = in_.tokenizer->pad_id();
    config["bos_token_id"] = in_.tokenizer->bos_id();
    config["eos_token_id"] = in_.tokenizer->eos_id();
  }
  return config;
}

void Trainer::write_model_directory() {
  const fs::path dir = args_.output_dir;
  save_model_weights(*in_.model, dir / "model.safetensors");
  if (in_.tokenizer) in_.tokenizer->save(dir);
  write_file_checked(dir / "config.json", model_directory_config().dump(2) + "\n", "Trainer");
}

void Trainer::finish_run(State& st, TrainResult& result, int64_t start_step) {
  if (!st.window.empty()) {
    result.final_loss = st.window.mean_loss();
    log_window(st);
  }
  const bool saving = args_.save_strategy != IntervalStrategy::No;
  if ((saving || result.interrupted) && st.last_save_step != st.global_step) save_checkpoint(st);
  result.global_step = st.global_step;
  result.skipped_steps = st.non_finite.total_skipped();
  result.train_runtime = st.run_timer.seconds();
  result.tokens_per_second = result.train_runtime > 0 ? st.run_tokens / result.train_runtime : 0;
  result.best_eval_loss = st.best_eval_loss;
  const double epoch = static_cast<double>(st.global_step) / steps_per_epoch_;
  if (!st.json_log) {  // not the main rank
    if (result.interrupted)
      throw Interrupted(fmt::format("[Trainer] rank {} stopped with the interrupted run at step {}",
                                    dp_->rank(), st.global_step));
    return;
  }
  json summary = {{"train_runtime", result.train_runtime},
                  {"train_steps", st.global_step - start_step},
                  {"train_tokens_per_second", result.tokens_per_second},
                  {"skipped_steps", result.skipped_steps}};
  st.json_log->log(st.global_step, epoch, summary);
  st.events->add_text("train_results", summary.dump(2), st.global_step);
  st.events->flush();
  if (st.progress) st.progress->finish();
  fail_if_ended_non_finite(st, result, start_step);
  if (result.interrupted) {
    const int sig = st.interrupt->received();
    st.events->close();
    throw Interrupted(
        fmt::format("[Trainer] interrupted by signal {} at step {}; checkpoint saved "
                    "in {}/checkpoints (resume with --resume)",
                    sig, st.global_step, args_.output_dir));
  }
  write_model_directory();
  st.events->close();
  console(fmt::format("[Trainer] done: {} steps in {:.1f} s ({:.0f} tokens/s); model saved to {}",
                      st.global_step - start_step, result.train_runtime, result.tokens_per_second,
                      args_.output_dir));
}

json Trainer::plan() const {
  return {{"max_steps", max_steps_},
          {"steps_per_epoch", steps_per_epoch_},
          {"train_samples", in_.train_samples->size()},
          {"eval_samples", in_.eval_samples ? in_.eval_samples->size() : 0},
          {"per_device_train_batch_size", args_.per_device_train_batch_size},
          {"world_size", dp_->world_size()},
          {"train_batch_size", args_.per_device_train_batch_size * dp_->world_size()},
          {"gradient_accumulation_steps", args_.gradient_accumulation_steps},
          {"parameters", in_.model->num_parameters()},
          {"precision", precision_description(args_.bf16)},
          {"device", in_.device.to_string()},
          {"tf32", tf32_description(args_.tf32, !in_.device.is_host())},
          {"output_dir", args_.output_dir},
          {"logging_dir",
           logging_dir_.empty() ? args_.output_dir + "/runs/<time>_<host>" : logging_dir_},
          {"checkpoints", args_.output_dir + "/checkpoints"}};
}

}  // namespace fg::train
