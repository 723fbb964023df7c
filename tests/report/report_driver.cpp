// Manual-testing driver: `report_driver compare ...` and `report_driver tb ...` behave like the
// forgather subcommands, without the rest of the CLI.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands/compare_command.h"
#include "cli/commands/tb_command.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app("report driver");
  app.require_subcommand(1);
  fg::cli::add_compare_command(app);
  fg::cli::add_tb_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const fg::Error& e) {
    std::cerr << "forgather: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
