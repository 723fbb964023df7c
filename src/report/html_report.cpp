// The HTML page of `forgather compare`: one self-contained file (inline CSS and SVG, no scripts,
// no external resources) with the run table, loss and learning-rate charts, the extrapolation
// table and chart, notes, and the latest text samples of each run.
#include <fmt/format.h>

#include "report/compare.h"
#include "report/html_escape.h"
#include "report/svg_chart.h"

namespace fg::report {
namespace {

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px; color: #222; background: #fafafa; }
h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 32px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #ccc; padding: 4px 10px; font-size: 14px; }
th { background: #eef1f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 16px; }
svg.chart { background: #fff; border: 1px solid #ddd; }
pre { background: #fff; border: 1px solid #ddd; padding: 8px; white-space: pre-wrap; max-width: 1100px; }
.meta, .note { color: #555; font-size: 13px; }
)";

constexpr int kChartWidth = 540;  // two charts side by side in a 1200-pixel window

ChartOptions chart(std::string title, std::string x_label, std::string y_label) {
  ChartOptions o;
  o.title = std::move(title);
  o.x_label = std::move(x_label);
  o.y_label = std::move(y_label);
  o.width = kChartWidth;
  return o;
}

std::string html_table(const TextTable& t, const std::string& css_class) {
  std::string s = "<table class=\"" + css_class + "\"><thead><tr>";
  for (const auto& h : t.headers) s += "<th>" + html_escape(h) + "</th>";
  s += "</tr></thead><tbody>\n";
  for (const auto& row : t.rows) {
    s += "<tr>";
    for (size_t c = 0; c < t.headers.size(); ++c) {
      const bool num = c < t.right_align.size() && t.right_align[c];
      s += std::string(num ? "<td class=\"num\">" : "<td>") +
           html_escape(c < row.size() ? row[c] : "") + "</td>";
    }
    s += "</tr>\n";
  }
  return s + "</tbody></table>\n";
}

std::vector<ChartSeries> curves(const Comparison& c, std::vector<Point> LogSummary::*member) {
  std::vector<ChartSeries> out;
  for (size_t i = 0; i < c.runs.size(); ++i)
    out.push_back({c.runs[i].name, series_color(i), c.runs[i].log.*member});
  return out;
}

std::string training_charts(const Comparison& c) {
  ChartOptions train = chart("Train loss", "step", "loss");
  ChartOptions eval = chart("Eval loss", "step", "eval loss");
  ChartOptions lr = chart("Learning rate", "step", "learning rate");
  return "<h2>Curves</h2>\n<div class=\"charts\">\n" +
         render_line_chart(train, curves(c, &LogSummary::train_loss)) +
         render_line_chart(eval, curves(c, &LogSummary::eval_loss)) +
         render_line_chart(lr, curves(c, &LogSummary::learning_rate)) + "</div>\n";
}

std::string extrapolation_section(const Comparison& c) {
  if (c.lengths.empty()) return "";
  std::vector<ChartSeries> series;
  for (size_t i = 0; i < c.runs.size(); ++i) {
    ChartSeries s{c.runs[i].name, series_color(i), {}};
    if (c.extrapolation[i])
      for (const auto& r : c.extrapolation[i]->results)
        s.points.push_back({static_cast<double>(r.length), r.perplexity});
    series.push_back(std::move(s));
  }
  ChartOptions o = chart("Perplexity by evaluation length", "evaluation length (tokens)",
                         "perplexity (log scale)");
  o.log_x = true;
  for (int64_t len : c.lengths) o.x_ticks.push_back(static_cast<double>(len));
  o.log_y = true;
  return "<h2>Length extrapolation</h2>\n" + html_table(extrapolation_table(c), "extrapolation") +
         "<div class=\"charts\">\n" + render_line_chart(o, series) + "</div>\n";
}

std::string notes_section(const Comparison& c) {
  std::string items;
  for (const auto& r : c.runs)
    for (const auto& n : r.notes) items += "<li>" + html_escape(r.name + ": " + n) + "</li>\n";
  for (const auto& n : c.notes) items += "<li>" + html_escape(n) + "</li>\n";
  for (const auto& s : c.skipped) items += "<li>skipped " + html_escape(s) + "</li>\n";
  return items.empty() ? "" : "<h2>Notes</h2>\n<ul class=\"note\">\n" + items + "</ul>\n";
}

std::string samples_section(const Comparison& c) {
  std::string s;
  for (const auto& r : c.runs) {
    if (r.log.samples.empty()) continue;
    const TextSample& last = r.log.samples.back();
    s += fmt::format(
        "<h3>{} <span class=\"meta\">(step {})</span></h3>\n<pre class=\"sample\">{}</pre>\n",
        html_escape(r.name), last.step, html_escape(last.text));
  }
  return s.empty() ? "" : "<h2>Latest text samples</h2>\n" + s;
}

}  // namespace

std::string render_html_report(const Comparison& c, const std::string& title,
                               const std::string& generated_at) {
  std::string unfinished;
  for (const auto& r : c.runs)
    if (!r.log.finished)
      unfinished = "<p class=\"note\">* unfinished: the log has no end-of-training record</p>\n";
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
         html_escape(title) + "</h1>\n<p class=\"meta\">" + std::to_string(c.runs.size()) +
         " run(s); generated " + html_escape(generated_at) + " by forgather compare</p>\n" +
         "<h2>Runs</h2>\n" + html_table(run_table(c.runs), "runs") + unfinished +
         training_charts(c) + extrapolation_section(c) + notes_section(c) + samples_section(c) +
         "</body>\n</html>\n";
}

}  // namespace fg::report
