// The `forgather` executable: builds the registry and the command list, runs the command line,
// and is the only place that turns errors into exit codes (1 for fg::Error and other exceptions).
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/app.h"
#include "cli/commands/compare_command.h"
#include "cli/commands/eval_command.h"
#include "cli/commands/export_command.h"
#include "cli/commands/generate_command.h"
#include "cli/commands/tb_command.h"
#include "cli/commands/tokenizer_command.h"
#include "cli/commands/train_command.h"
#include "config/registry.h"
#include "core/error.h"
#include "core/openmp_env.h"
#include "core/signal_thread.h"
#include "dist/communicator.h"
#include "tensor/runtime.h"

namespace {

// Every subcommand. Areas add theirs here (one line each).
void add_commands(CLI::App& app, fg::cli::CliContext& ctx) {
  fg::cli::add_core_commands(app, ctx);
  fg::cli::add_train_command(app, ctx);
  fg::cli::add_generate_command(app, ctx);
  fg::cli::add_eval_command(app, ctx);
  fg::cli::add_export_command(app, ctx);
  fg::cli::add_tokenizer_command(app);
  fg::cli::add_tb_command(app);
  // compare --extrapolate evaluates runs that lack eval_lengths.json on TinyStories validation.
  fg::cli::add_compare_command(
      app, std::cout,
      [&ctx](const std::filesystem::path& dir, const std::vector<int64_t>& lengths) {
        return fg::cli::evaluate_model_lengths(*ctx.registry, dir, lengths, {});
      });
}

// An error on one rank of several: the others may wait in a collective, so the whole job ends.
int fail(fg::dist::Communicator* comm, const std::string& message) {
  if (comm && comm->world_size() > 1) {
    std::cerr << "forgather: rank " << comm->rank() << ": " << message << std::endl;
    comm->abort(1);
  }
  std::cerr << "forgather: " << message << "\n";
  return 1;
}

// Every rank renders templates with rank 0's clock (FORGATHER_RENDER_TIME): a rank that starts a
// second later would otherwise render another date into its config, and the start-up check that
// all ranks run the same config would refuse the run. A value the user set is kept.
void pin_render_time(fg::dist::Communicator& comm) {
  const std::vector<std::string> times =
      comm.all_gather_strings(std::to_string(std::time(nullptr)));
  setenv("FORGATHER_RENDER_TIME", times.at(0).c_str(), 0);
}

}  // namespace

int main(int argc, char** argv) {
  fg::default_openmp_wait_policy(argv);  // may start this program again; before any thread
  fg::start_signal_thread();             // before MPI and OpenMP start theirs
  // The backends (one per device kind); outlives every tensor the commands make.
  std::optional<fg::Runtime> runtime;
  std::unique_ptr<fg::dist::Communicator> comm;
  try {
    runtime.emplace();
    // MPI starts only when a launcher (mpirun, srun) started several ranks.
    comm = fg::dist::make_communicator();
    if (comm->world_size() > 1) pin_render_time(*comm);
    fg::config::Registry registry;
    fg::cli::register_components(registry);
    std::vector<std::string> args(argv + 1, argv + argc);
    auto with_communicator = [&comm](CLI::App& app, fg::cli::CliContext& ctx) {
      ctx.communicator = comm.get();
      add_commands(app, ctx);
    };
    return fg::cli::run_cli(args, registry, with_communicator, std::cout, std::cerr);
  } catch (const fg::Interrupted& e) {  // a training run saved its state and stopped
    std::cerr << "forgather: " << e.what() << "\n";
    return 130;
  } catch (const fg::Error& e) {
    return fail(comm.get(), e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    // A last line of defence: path problems are meant to be reported as fg::IoError at their
    // source, but one that slips through still names the path rather than an internal error.
    return fail(comm.get(), "cannot use '" + e.path1().string() + "': " + e.code().message() +
                                " (" + e.what() + ")");
  } catch (const std::exception& e) {
    return fail(comm.get(), std::string("internal error: ") + e.what());
  }
}
