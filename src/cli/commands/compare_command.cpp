#include "cli/commands/compare_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "report/compare.h"

namespace fg::cli {
namespace {

struct CompareArgs {
  std::vector<std::string> runs;
  std::string html = "compare_report.html";
  bool no_html = false;
  std::string extrapolate;
  bool skip_bad = false;
  std::string devices;
};

}  // namespace

void add_compare_command(CLI::App& app) {
  add_compare_command(app, std::cout, {});
}

void add_compare_command(CLI::App& app, std::ostream& out, report::LengthEvaluator evaluator) {
  DeviceLengthEvaluator on_device;
  if (evaluator)
    on_device = [evaluator](const std::filesystem::path& dir, const std::vector<int64_t>& lengths,
                            const std::string&) { return evaluator(dir, lengths); };
  add_compare_command_on_device(app, out, on_device);
}

void add_compare_command_on_device(CLI::App& app, std::ostream& out,
                                   DeviceLengthEvaluator evaluator) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare training runs: a table per run and an HTML report with loss curves");
  cmd->add_option("runs", args->runs, "run output directories (or runs/<logdir> directories)")
      ->required();
  cmd->add_option("--html", args->html, "HTML report to write")->capture_default_str();
  cmd->add_flag("--no-html", args->no_html, "print the tables only");
  cmd->add_option("--extrapolate", args->extrapolate,
                  "evaluation lengths for the perplexity-vs-length table, e.g. 256,512,1024,2048");
  cmd->add_flag("--skip-bad", args->skip_bad, "report unreadable runs and compare the rest");
  cmd->add_option("-d,--devices", args->devices,
                  "Device for --extrapolate's evaluations: cpu, or a GPU index such as 0, cuda:0");
  cmd->callback([args, &out, evaluator] {
    report::CompareOptions o;
    o.runs.assign(args->runs.begin(), args->runs.end());
    o.html_path = args->no_html ? std::filesystem::path() : std::filesystem::path(args->html);
    if (!args->extrapolate.empty())
      o.extrapolate = report::parse_lengths(args->extrapolate, "--extrapolate");
    o.skip_bad_runs = args->skip_bad;
    if (evaluator) {
      o.evaluator = [evaluator, devices = args->devices](const std::filesystem::path& dir,
                                                         const std::vector<int64_t>& lengths) {
        return evaluator(dir, lengths, devices);
      };
    }
    report::run_compare(o, out);
  });
}

}  // namespace fg::cli
