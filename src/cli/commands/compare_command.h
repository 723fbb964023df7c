#pragma once
// `forgather compare RUN... [--html FILE | --no-html] [--extrapolate 256,512,...] [--skip-bad]`:
// a table per run and an HTML report with SVG charts. The logic lives in src/report/compare.h.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "report/eval_lengths.h"

namespace CLI {
class App;
}

namespace fg::cli {

void add_compare_command(CLI::App& app);
// The same, printing to `out`; `evaluator` (may be empty) computes missing eval_lengths results.
void add_compare_command(CLI::App& app, std::ostream& out, report::LengthEvaluator evaluator);

// A length evaluator given the text of `compare -d` ("" when absent): it resolves the device
// (cli/device_selection.h, which this file does not link: the report tests build it alone).
using DeviceLengthEvaluator = std::function<report::EvalLengths(
    const std::filesystem::path& output_dir, const std::vector<int64_t>& lengths,
    const std::string& devices)>;
// The same with -d/--devices: --extrapolate evaluates on that device.
void add_compare_command_on_device(CLI::App& app, std::ostream& out,
                                   DeviceLengthEvaluator evaluator);

}  // namespace fg::cli
