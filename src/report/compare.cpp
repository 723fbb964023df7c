#include "report/compare.h"

#include <ctime>
#include <fstream>
#include <map>
#include <ostream>

#include "core/checked_fs.h"
#include "core/error.h"
#include "report/number_format.h"

namespace fs = std::filesystem;

namespace fg::report {
namespace {

void disambiguate_names(std::vector<RunSummary>& runs) {
  std::map<std::string, int> count;
  for (const auto& r : runs) ++count[r.name];
  for (auto& r : runs)
    if (count[r.name] > 1) r.name += " [" + r.output_dir.string() + "]";
}

std::vector<int64_t> missing_lengths(const std::optional<EvalLengths>& have,
                                     const std::vector<int64_t>& want) {
  std::vector<int64_t> out;
  for (int64_t len : want)
    if (!have || !have->find(len)) out.push_back(len);
  return out;
}

// eval_lengths.json for one run; asks the evaluator for what is missing, if there is one.
std::optional<EvalLengths> load_extrapolation(const RunSummary& run, const CompareOptions& o,
                                              std::vector<std::string>& notes) {
  const fs::path file = run.output_dir / kEvalLengthsFile;
  std::optional<EvalLengths> data;
  if (fs::exists(file)) data = read_eval_lengths(file);
  const std::vector<int64_t> missing = missing_lengths(data, o.extrapolate);
  if (missing.empty()) return data;
  if (o.evaluator) {
    EvalLengths merged =
        merge_eval_lengths(data.value_or(EvalLengths{}), o.evaluator(run.output_dir, missing));
    write_eval_lengths(file, merged);
    return merged;
  }
  notes.push_back(run.name + ": " + (data ? "no results for some lengths in " : "no ") +
                  file.string() +
                  "; produce it with: " + eval_lengths_command(run.output_dir, o.extrapolate));
  return data;
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

}  // namespace

Comparison load_comparison(const CompareOptions& o) {
  if (o.runs.empty())
    throw Error(
        "[compare] no runs given: pass one or more output directories, e.g. "
        "forgather compare output_models/*");
  Comparison c;
  for (const auto& path : o.runs) {
    try {
      c.runs.push_back(load_run(path));
    } catch (const Error& e) {
      if (!o.skip_bad_runs) throw;
      c.skipped.push_back(path.string() + ": " + e.what());
    }
  }
  if (c.runs.empty())
    throw Error("[compare] none of the " + std::to_string(o.runs.size()) +
                " runs could be read: " + c.skipped.front());
  disambiguate_names(c.runs);
  c.lengths = o.extrapolate;
  if (!c.lengths.empty())
    for (const auto& run : c.runs) c.extrapolation.push_back(load_extrapolation(run, o, c.notes));
  return c;
}

TextTable run_table(const std::vector<RunSummary>& runs) {
  TextTable t;
  t.headers = {"Run",       "Params",   "Steps",     "Train loss", "Eval loss",
               "Best eval", "Tokens/s", "Wall time", "Output dir"};
  t.right_align = {false, true, true, true, true, true, true, true, false};
  for (const auto& r : runs) {
    std::string steps = r.log.last_step ? std::to_string(*r.log.last_step) : "-";
    if (!r.log.finished) steps += "*";
    t.rows.push_back({r.name, format_count(r.parameters), steps,
                      format_loss(r.log.final_train_loss), format_loss(r.log.final_eval_loss),
                      format_loss(r.log.best_eval_loss), format_rate(r.log.tokens_per_second),
                      format_duration(r.log.wall_seconds), r.output_dir.string()});
  }
  return t;
}

std::string format_run_table(const std::vector<RunSummary>& runs) {
  std::string out = render_text_table(run_table(runs));
  for (const auto& r : runs)
    if (!r.log.finished) {
      out += "* unfinished: the log has no end-of-training record\n";
      break;
    }
  return out;
}

TextTable extrapolation_table(const Comparison& c) {
  TextTable t;
  t.headers = {"Eval length"};
  t.right_align = {true};
  for (const auto& r : c.runs) {
    t.headers.push_back(r.name + " ppl");
    t.right_align.push_back(true);
  }
  for (int64_t len : c.lengths) {
    std::vector<std::string> row = {std::to_string(len)};
    for (const auto& data : c.extrapolation) {
      const LengthResult* r = data ? data->find(len) : nullptr;
      row.push_back(r ? format_perplexity(r->perplexity) : "-");
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string format_extrapolation_table(const Comparison& c) {
  return render_text_table(extrapolation_table(c));
}

Comparison run_compare(const CompareOptions& o, std::ostream& out) {
  Comparison c = load_comparison(o);
  out << format_run_table(c.runs);
  if (!c.lengths.empty())
    out << "\nPerplexity by evaluation length\n" << format_extrapolation_table(c);
  for (const auto& r : c.runs)
    for (const auto& note : r.notes) out << "note: " << r.name << ": " << note << "\n";
  for (const auto& note : c.notes) out << "note: " << note << "\n";
  for (const auto& s : c.skipped) out << "skipped: " << s << "\n";
  if (!o.html_path.empty()) {
    write_file_checked(o.html_path, render_html_report(c, o.title, now_utc()), "compare");
    out << "wrote " << o.html_path.string() << "\n";
  }
  return c;
}

}  // namespace fg::report
