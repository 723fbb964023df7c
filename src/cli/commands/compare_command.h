#pragma once
// `forgather compare RUN... [--html FILE | --no-html] [--extrapolate 256,512,...] [--skip-bad]`:
// a table per run and an HTML report with SVG charts. The logic lives in src/report/compare.h.
#include <iosfwd>

#include "report/eval_lengths.h"

namespace CLI {
class App;
}

namespace fg::cli {

void add_compare_command(CLI::App& app);
// The same, printing to `out`; `evaluator` (may be empty) computes missing eval_lengths results.
void add_compare_command(CLI::App& app, std::ostream& out, report::LengthEvaluator evaluator);

}  // namespace fg::cli
