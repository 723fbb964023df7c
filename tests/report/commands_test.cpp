// The `compare` and `tb` subcommands through CLI11, as main.cpp will run them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "cli/commands/compare_command.h"
#include "cli/commands/tb_command.h"
#include "core/error.h"
#include "report/tensorboard.h"
#include "run_fixture.h"

namespace fg::report {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

// Parses like cli::run_cli: CLI11 errors (including the exit codes commands raise) become codes.
int run(CLI::App& app, std::vector<std::string> args, std::ostream& err) {
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    std::ostringstream ignored;
    return app.exit(e, ignored, err);
  }
  return 0;
}

TEST(CompareCommand, RunsAndWritesTheReport) {
  TempDir tmp;
  const auto a = testing::make_run(tmp / "a", {});
  const auto b = testing::make_run(tmp / "b", {.loss_scale = 1.2});
  CLI::App app;
  std::ostringstream out, err;
  cli::add_compare_command(app, out, {});
  const auto html = tmp / "r.html";
  EXPECT_EQ(
      run(app,
          {"compare", a.string(), b.string(), "--html", html.string(), "--extrapolate", "256,512"},
          err),
      0)
      << err.str();
  EXPECT_TRUE(fs::exists(html));
  EXPECT_NE(out.str().find("forgather eval --model " + a.string() + " --lengths 256,512"),
            std::string::npos)
      << out.str();
}

TEST(CompareCommand, ErrorsPropagateAsFgErrors) {
  TempDir tmp;
  CLI::App app;
  std::ostringstream out, err;
  cli::add_compare_command(app, out, {});
  EXPECT_THROW(run(app, {"compare", (tmp / "none").string(), "--no-html"}, err), IoError);
  CLI::App app2;
  cli::add_compare_command(app2, out, {});
  EXPECT_THROW(run(app2, {"compare", tmp.path().string(), "--extrapolate", "12x"}, err), Error);
  CLI::App app3;
  cli::add_compare_command(app3, out, {});
  EXPECT_NE(run(app3, {"compare"}, err), 0);  // runs are required
}

TEST(TbCommand, WithoutTensorboardExplainsAndExitsWith2) {
  TempDir tmp;
  CLI::App app;
  std::ostringstream out, err;
  cli::add_tb_command(app, out, err, (tmp / "empty-bin").string());
  EXPECT_EQ(run(app, {"tb", "runs_here"}, err), kTensorBoardMissingExit);
  EXPECT_NE(err.str().find("pip install tensorboard"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("forgather compare runs_here/*"), std::string::npos) << err.str();
}

TEST(TbCommand, RunsTensorboardFromPathWithTheLogdir) {
  TempDir tmp;
  const auto bin = tmp / "bin";
  fs::create_directories(bin);
  // A stand-in executable that records its arguments and exits with 3.
  testing::write_file(bin / "tensorboard",
                      "#!/bin/sh\necho \"$@\" > \"" + (tmp / "args.txt").string() + "\"\nexit 3\n");
  ::chmod((bin / "tensorboard").c_str(), 0755);
  std::ostringstream out, err;
  CLI::App dry;
  cli::add_tb_command(dry, out, err, "/nonexistent:" + bin.string());
  EXPECT_EQ(run(dry, {"tb", "--dry-run"}, err), 0);
  EXPECT_EQ(out.str(), (bin / "tensorboard").string() + " --logdir output_models\n");
  EXPECT_FALSE(fs::exists(tmp / "args.txt"));

  CLI::App app;
  cli::add_tb_command(app, out, err, bin.string());
  EXPECT_EQ(run(app, {"tb", "some/dir", "--", "--port", "6007"}, err), 3);
  std::ifstream in(tmp / "args.txt");
  std::string args;
  std::getline(in, args);
  EXPECT_EQ(args, "--logdir some/dir --port 6007");
}

TEST(Tensorboard, FindOnPathNeedsAnExecutableFile) {
  TempDir tmp;
  testing::write_file(tmp / "a" / "tool", "x");
  EXPECT_FALSE(find_on_path("tool", (tmp / "a").string()).has_value());
  ::chmod((tmp / "a" / "tool").c_str(), 0755);
  EXPECT_EQ(*find_on_path("tool", "/nonexistent::" + (tmp / "a").string()), tmp / "a" / "tool");
  fs::create_directories(tmp / "b" / "tool");
  EXPECT_FALSE(find_on_path("tool", (tmp / "b").string()).has_value());
}

}  // namespace
}  // namespace fg::report
