// Standalone driver for `tokenizer ...` until cli/main.cpp registers add_tokenizer_command.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands/tokenizer_command.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app("forgather tokenizer driver");
  app.require_subcommand(1);
  fg::cli::add_tokenizer_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const fg::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
