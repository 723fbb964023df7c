#pragma once
// `forgather` run in-process with every command and main()'s error handling, so a test sees
// exactly what a user would: the exit code and stderr ("forgather: internal error" included).
#include <sstream>
#include <string>
#include <vector>

#include "builders/register_all.h"
#include "cli/app.h"
#include "cli/commands/compare_command.h"
#include "cli/commands/eval_command.h"
#include "cli/commands/generate_command.h"
#include "cli/commands/tokenizer_command.h"
#include "cli/commands/train_command.h"

namespace fg::cli {

struct Outcome {
  int code;
  std::string err;
};

// What `forgather args...` prints on stderr and returns, as main() would.
inline Outcome run_forgather(const std::vector<std::string>& args) {
  static const config::Registry registry = [] {
    config::Registry r;
    config::register_builtins(r);
    builders::register_all(r);
    return r;
  }();
  auto add = [](CLI::App& app, CliContext& ctx) {
    add_core_commands(app, ctx);
    add_train_command(app, ctx);
    add_generate_command(app, ctx);
    add_eval_command(app, ctx);
    add_tokenizer_command(app);
    add_compare_command(app);
  };
  std::ostringstream out, err;
  try {
    return {run_cli(args, registry, add, out, err), err.str()};
  } catch (const Error& e) {
    return {1, "forgather: " + std::string(e.what())};
  } catch (const std::exception& e) {
    return {1, "forgather: internal error: " + std::string(e.what())};
  }
}

}  // namespace fg::cli
