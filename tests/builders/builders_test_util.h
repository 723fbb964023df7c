#pragma once
// Test helpers: a registry with the builtins and every builder, YAML text materialised through
// it, a temporary directory, and `forgather` run in-process.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>

#include "builders/register_all.h"
#include "cli/app.h"
#include "cli/commands/train_command.h"
#include "config/materializer.h"
#include "config/registry.h"
#include "config/yaml_loader.h"

namespace fg::builders::testing {

inline const config::Registry& registry() {
  static const config::Registry r = [] {
    config::Registry reg;
    config::register_builtins(reg);
    register_all(reg);
    return reg;
  }();
  return r;
}

// Materialises target `target` of the YAML `text` (file name "test.yaml" in errors).
inline config::Object build(const std::string& text, const std::string& target,
                            const config::Context& vars = {}) {
  config::YamlLoadOptions o;
  o.source_name = "test.yaml";
  config::Materializer m(registry(), config::load_yaml_graph(text, o));
  return m.target(target, vars);
}

// The message of the ConfigError/Error `fn` throws ("" when it does not throw).
template <class F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("fg_builders_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CliResult {
  int code;
  std::string out, err;
};

inline CliResult run_forgather(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  auto add = [](CLI::App& app, cli::CliContext& ctx) {
    cli::add_core_commands(app, ctx);
    cli::add_train_command(app, ctx);
  };
  int code = 0;
  try {
    code = cli::run_cli(args, registry(), add, out, err);
  } catch (const Interrupted& e) {
    code = 130;
    err << e.what();
  } catch (const Error& e) {
    code = 1;
    err << e.what();
  }
  return {code, out.str(), err.str()};
}

// For tests on the embedded synthetic stories (FORGATHER_DATASET=synthetic): offline and fast.
class SyntheticStoriesTest : public ::testing::Test {
 protected:
  void SetUp() override { setenv("FORGATHER_DATASET", "synthetic", 1); }
  void TearDown() override { unsetenv("FORGATHER_DATASET"); }
};

}  // namespace fg::builders::testing
