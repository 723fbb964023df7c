#pragma once
// `forgather compare RUN...`: loads each run's output directory, prints a summary table (and
// with --extrapolate the perplexity-versus-length table), and writes a self-contained HTML
// report with SVG charts. The CLI command is a thin wrapper over run_compare().
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "report/eval_lengths.h"
#include "report/run_loader.h"
#include "report/text_table.h"

namespace fg::report {

struct CompareOptions {
  std::vector<std::filesystem::path> runs;  // output_dirs (or logdirs / trainer_logs.json files)
  std::filesystem::path html_path = "compare_report.html";  // empty: no HTML
  std::vector<int64_t> extrapolate;  // evaluation lengths; empty: no extrapolation section
  bool skip_bad_runs = false;        // report unreadable runs and go on, instead of throwing
  LengthEvaluator evaluator;         // optional: computes missing eval_lengths.json results
  std::string title = "Forgather run comparison";
};

struct Comparison {
  std::vector<RunSummary> runs;
  std::vector<std::string> skipped;  // "<path>: <error>" for runs left out (skip_bad_runs)
  std::vector<int64_t> lengths;      // the --extrapolate lengths
  std::vector<std::optional<EvalLengths>> extrapolation;  // per run, when lengths are set
  std::vector<std::string> notes;  // what is missing and which command produces it
};

// Loads every run (and eval_lengths.json when lengths are given; the evaluator, if set, fills
// in missing lengths and the merged results are written back). Runs sharing a name get their
// directory appended. Throws fg::Error for no runs, and fg::IoError naming the file for a bad
// run unless skip_bad_runs.
Comparison load_comparison(const CompareOptions& options);

// The per-run table: Run, Params, Steps, Train loss, Eval loss, Best eval, Tokens/s, Wall time,
// Output dir. The same cells feed the terminal and the HTML table.
TextTable run_table(const std::vector<RunSummary>& runs);
std::string format_run_table(const std::vector<RunSummary>& runs);
// Perplexity per length (rows) and run (columns).
TextTable extrapolation_table(const Comparison& comparison);
std::string format_extrapolation_table(const Comparison& comparison);

// The whole HTML page; `generated_at` is printed in its header.
std::string render_html_report(const Comparison& comparison, const std::string& title,
                               const std::string& generated_at);

// Loads, prints the tables and notes to `out`, and writes the HTML report. Throws fg::Error.
Comparison run_compare(const CompareOptions& options, std::ostream& out);

}  // namespace fg::report
