#include "cli/commands/train_command.h"

#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "builders/data_components.h"
#include "builders/train_components.h"
#include "builders/training_run.h"
#include "cli/commands/launch.h"
#include "cli/device_selection.h"
#include "cli/number_options.h"

namespace fg::cli {

namespace {

struct TrainOptions {
  bool dry_run = false;
  std::string devices;
  int64_t max_steps = -2;  // -2: not given
  std::string resume;
  std::string output;
  bool overwrite_output_dir = false;
  bool bf16 = false;
  int64_t nproc = 1;  // ranks to launch on this machine through mpirun
  int64_t ranks = 1;  // what launches: --nproc, or one rank per GPU of -d 0,1 (launch_ranks)
};

bool has_dynamic(const CliContext& ctx, const std::string& name) {
  for (const auto& d : ctx.dynamic_args)
    for (const auto& n : d->names)
      if (n == name) return true;
  return false;
}

std::vector<std::string> without_dry_run(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : strip_nproc(args))
    if (a != "--dry-run") out.push_back(a);
  return out;
}

// --dry-run checks no device (it plans for any machine): the trainer stays on the host and the
// plan names the device the run would use.
void print_plan(std::ostream& os, const builders::TrainerSpec& spec, const train::Trainer& t,
                Device device) {
  const auto& model = *spec.inputs.model;
  os << model.describe() << "\n";
  os << fmt::format("Model parameters: {} (trainable {})\n", model.num_parameters(),
                    model.num_parameters(true));
  os << "Train dataset: " << spec.train_description << "\n";
  if (spec.inputs.eval_samples) os << "Eval dataset: " << spec.eval_description << "\n";
  os << "Precision: " << train::precision_description(spec.args.bf16) << "\n";
  os << "Device: " << device.to_string() << "\n";
  const std::string tf32 = train::tf32_description(spec.args.tf32, !device.is_host());
  if (spec.args.tf32) os << "TF32: " << tf32 << "\n";
  nlohmann::json plan = t.plan();
  plan["device"] = device.to_string();
  plan["tf32"] = tf32;
  os << "Plan:\n" << plan.dump(2) << "\n";
}

// -d 0,1 --dry-run: which rank takes which GPU, and whether this machine could run them (the dry
// run itself needs no GPU).
void print_device_check(std::ostream& os, const std::vector<Device>& devices) {
  os << "Devices: " << rank_device_plan(devices) << " (by local rank)\n";
  try {
    check_devices_available(devices, cuda_availability(), "--devices");
    os << "Devices here: available\n";
  } catch (const Error& e) {
    os << "Devices here: refused: " << e.what() << "\n";
  }
}

void run_training(CliContext& ctx, const builders::TrainingScriptSpec& script,
                  const TrainOptions& o, bool max_steps_flag) {
  builders::TrainingRunRequest request;
  if (max_steps_flag && o.max_steps != -2) request.max_steps = o.max_steps;
  request.communicator = ctx.communicator;
  builders::TrainerSpec spec = builders::apply_training_request(script, request);
  Device device = Device::cpu();  // the device --dry-run names in the plan
  const std::vector<Device> devices =
      o.devices.empty() ? std::vector<Device>{} : parse_device_flag(o.devices, "--devices");
  if (!o.devices.empty()) {
    // Recorded in the plan (--dry-run prints it for any machine); checked before training. The
    // whole list, on every rank of -d 0,1 alike (the ranks compare their training arguments).
    spec.args.devices.clear();
    for (const Device& d : devices)
      if (!d.is_host()) spec.args.devices.push_back(d.index);
    device = devices.front();
  }
  if (!o.dry_run) {
    // Under -d 0,1 each rank takes the GPU at its local rank; one device is used as given. The
    // model moves there when the trainer is made, so the device is checked (and its backend
    // registered) first; --dry-run plans on the host.
    const int local_rank = ctx.communicator ? ctx.communicator->local_rank() : 0;
    const std::string mine =
        devices.size() > 1 ? rank_device(devices, local_rank, o.devices).to_string() : o.devices;
    spec.inputs.device = use_run_device(mine, "train");
  }
  if (!o.resume.empty()) spec.args.resume_from_checkpoint = o.resume;
  if (o.overwrite_output_dir) spec.args.overwrite_output_dir = true;
  if (o.bf16) spec.args.bf16 = true;
  spec.args.validate();
  train::Trainer trainer(spec.args, spec.inputs);
  // Rank 0 alone reports; the other ranks of a data-parallel run train quietly.
  std::ostringstream discarded;
  std::ostream& os = !ctx.communicator || ctx.communicator->is_main() ? ctx.output() : discarded;
  if (o.dry_run) {
    print_plan(os, spec, trainer, device);
    const int64_t ranks =
        o.ranks > 1 ? o.ranks : (ctx.communicator ? ctx.communicator->world_size() : 1);
    os << fmt::format("Data parallel: {} rank(s) x per-rank batch {} = global batch {}\n", ranks,
                      spec.args.per_device_train_batch_size,
                      ranks * spec.args.per_device_train_batch_size);
    if (o.ranks > 1)
      os << "Launch: " << join_command(mpirun_command(o.ranks, without_dry_run(ctx.args))) << "\n";
    if (o.ranks > 1 && !devices.empty() && !devices.front().is_host())
      print_device_check(os, devices);
    return;
  }
  builders::run_training_script(script, spec, trainer, os);
}

}  // namespace

void add_train_command(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<TrainOptions>();
  auto* sub = app.add_subcommand("train", "Train the config's model (or tokenizer) in-process");
  sub->add_flag("--dry-run", o->dry_run, "Print the resolved plan and exit without training");
  add_devices_option(*sub, o->devices);
  const bool own_max_steps = !has_dynamic(ctx, "--max-steps");
  if (own_max_steps)
    add_int_option(*sub, "--max-steps", o->max_steps, "Stop after N steps (-1: no limit)", -1)
        ->default_str("");
  auto* resume =
      sub->add_option("--resume", o->resume, "Resume from the latest checkpoint, or from PATH");
  resume->expected(0, 1);
  sub->add_flag("--overwrite-output-dir", o->overwrite_output_dir,
                "Start over in an output_dir that already holds a model or checkpoints")
      ->excludes(resume);
  if (!has_dynamic(ctx, "--bf16"))  // a config's own --bf16 wins, as for --max-steps
    sub->add_flag("--bf16", o->bf16,
                  "bf16 mixed precision (as the training argument bf16: true): bf16 GEMMs, f32 "
                  "weights, optimizer state and checkpoints");
  add_int_option(*sub, "--nproc", o->nproc,
                 "Train on N ranks of this machine: re-runs this command under mpirun -np N", 1,
                 1024);
  add_dynamic_options(*sub, ctx);
  sub->callback([&ctx, sub, o, resume, own_max_steps] {
    if (resume->count() > 0 && o->resume.empty()) o->resume = "latest";
    if (o->nproc < 1) throw Error(fmt::format("[train] --nproc expects N >= 1, got {}", o->nproc));
    const bool launched = ctx.communicator && ctx.communicator->world_size() > 1;
    if (o->nproc > 1 && launched)
      throw Error("[train] --nproc given to a rank that a launcher already started; drop it");
    const std::vector<Device> devices =
        o->devices.empty() ? std::vector<Device>{} : parse_device_flag(o->devices, "--devices");
    o->ranks = launched ? 1 : launch_ranks(o->nproc, devices, o->devices);
    if (o->ranks > 1 && !o->dry_run) {
      // No GPU, no CUDA build: refused here with the reason, before mpirun starts any rank.
      check_devices_available(devices, cuda_availability(), "--devices");
      run_launcher(mpirun_command(o->ranks, strip_nproc(ctx.args)));
      return;
    }
    config::Project project = ctx.load_project(*sub);
    config::Object main = config::materialize_targets(project, *ctx.registry, {"main"});
    if (main.type_name() == "Tokenizer") {
      const auto tok = builders::tokenizer_of(main, "train");
      ctx.output() << fmt::format("Tokenizer ready: vocab {}, model_max_length {}\n",
                                  tok->vocab_size(), tok->model_max_length());
      return;
    }
    const auto script = main.as<builders::TrainingScriptSpec>(
        "a training script (forgather.ml.training_script:TrainingScript) as target main");
    run_training(ctx, *script, *o, own_max_steps);
  });
}

}  // namespace fg::cli
