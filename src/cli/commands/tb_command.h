#pragma once
// `forgather tb [DIR] [--dry-run] [-- TENSORBOARD ARGS]`: runs `tensorboard --logdir DIR`
// (default ./output_models); exit code 2 with install instructions when tensorboard is absent.
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace fg::cli {

void add_tb_command(CLI::App& app);
// The same with explicit streams and PATH (tests).
void add_tb_command(CLI::App& app, std::ostream& out, std::ostream& err, std::string path_env);

}  // namespace fg::cli
