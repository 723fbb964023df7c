// The `forgather` executable: builds the registry, runs the command line and is the only place
// that turns errors into exit codes (1 for fg::Error and other exceptions).
#include <iostream>

#include "cli/app.h"
#include "config/registry.h"
#include "core/error.h"

int main(int argc, char** argv) {
  try {
    fg::config::Registry registry;
    fg::config::register_builtins(registry);
    std::vector<std::string> args(argv + 1, argv + argc);
    return fg::cli::run_cli(args, registry, std::cout, std::cerr);
  } catch (const fg::Error& e) {
    std::cerr << "forgather: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "forgather: internal error: " << e.what() << "\n";
    return 1;
  }
}
