#include "report/log_summary.h"

#include <cmath>

namespace fg::report {
namespace {

bool is_summary(const formats::JsonLogRecord& r) {
  return r.fields.contains("train_runtime");
}

// Sessions' throughput weighted by their runtime; falls back to the mean of the per-window
// tokens_per_second values (a crashed run has no end-of-training record).
void finish_throughput(LogSummary& s, double weighted_tps, double tps_seconds, double window_tps,
                       int64_t windows) {
  if (tps_seconds > 0) {
    s.tokens_per_second = weighted_tps / tps_seconds;
  } else if (windows > 0) {
    s.tokens_per_second = window_tps / static_cast<double>(windows);
  }
}

}  // namespace

void append_point(std::vector<Point>& curve, double x, double y) {
  while (!curve.empty() && curve.back().x >= x) curve.pop_back();
  curve.push_back({x, y});
}

LogSummary summarize_log(const std::vector<formats::JsonLogRecord>& records) {
  LogSummary s;
  double runtime = 0, weighted_tps = 0, tps_seconds = 0, window_tps = 0;
  int64_t windows = 0;
  double open_since = 0, open_until = 0;  // timestamps of the session still unfinished
  bool open = false;
  for (const auto& r : records) {
    const int64_t step = r.global_step();
    if (step >= 0 && (!s.last_step || step > *s.last_step)) s.last_step = step;
    const double x = static_cast<double>(step);
    if (auto ts = r.number("timestamp")) {
      if (!open) open_since = *ts;
      open_until = *ts;
      open = true;
    }
    if (is_summary(r)) {
      const double rt = r.number("train_runtime").value_or(0);
      runtime += rt;
      if (auto tps = r.number("train_tokens_per_second"); tps && rt > 0) {
        weighted_tps += *tps * rt;
        tps_seconds += rt;
      }
      ++s.sessions;
      open = false;
      s.finished = true;
      continue;
    }
    s.finished = false;
    if (auto loss = r.number("loss")) append_point(s.train_loss, x, *loss);
    if (auto lr = r.number("learning_rate")) append_point(s.learning_rate, x, *lr);
    if (auto tps = r.number("tokens_per_second"); tps && *tps > 0) {
      window_tps += *tps;
      ++windows;
    }
    if (auto ev = r.number("eval_loss")) append_point(s.eval_loss, x, *ev);
    if (auto it = r.fields.find("eval_text"); it != r.fields.end() && it->is_string()) {
      while (!s.samples.empty() && s.samples.back().step >= step) s.samples.pop_back();
      s.samples.push_back({step, it->get<std::string>()});
    }
  }
  if (!s.train_loss.empty()) s.final_train_loss = s.train_loss.back().y;
  if (!s.eval_loss.empty()) s.final_eval_loss = s.eval_loss.back().y;
  for (const auto& p : s.eval_loss)
    if (std::isfinite(p.y) && (!s.best_eval_loss || p.y < *s.best_eval_loss))
      s.best_eval_loss = p.y;
  if (open) runtime += open_until - open_since;
  if (s.sessions > 0 || runtime > 0) s.wall_seconds = runtime;
  finish_throughput(s, weighted_tps, tps_seconds, window_tps, windows);
  return s;
}

}  // namespace fg::report
