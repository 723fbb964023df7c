#include "cli/commands/tb_command.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "report/tensorboard.h"

namespace fg::cli {

void add_tb_command(CLI::App& app) {
  const char* path = std::getenv("PATH");
  add_tb_command(app, std::cout, std::cerr, path ? path : "");
}

void add_tb_command(CLI::App& app, std::ostream& out, std::ostream& err, std::string path_env) {
  auto o = std::make_shared<report::TensorBoardOptions>();
  o->path_env = std::move(path_env);
  auto logdir = std::make_shared<std::string>("output_models");
  CLI::App* cmd = app.add_subcommand(
      "tb", "Start TensorBoard on the runs' logs (offline alternative: forgather compare)");
  cmd->add_option("dir", *logdir, "log directory")->capture_default_str();
  cmd->add_option("tensorboard_args", o->extra_args, "passed to tensorboard (after --)");
  cmd->add_flag("--dry-run", o->dry_run, "print the command without running it");
  cmd->callback([o, logdir, &out, &err] {
    o->logdir = *logdir;
    const int rc = report::run_tensorboard(*o, out, err);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace fg::cli
