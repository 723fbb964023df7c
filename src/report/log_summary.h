#pragma once
// Turns the records of one trainer_logs.json (ours or Python Forgather's) into the curves and
// figures `forgather compare` shows: train/eval loss and learning-rate series, the last step,
// final and best eval loss, throughput, wall time and the text samples.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/json_log.h"

namespace fg::report {

struct Point {
  double x = 0;
  double y = 0;
};

struct TextSample {
  int64_t step = 0;
  std::string text;
};

struct LogSummary {
  std::vector<Point> train_loss;  // (global_step, loss)
  std::vector<Point> eval_loss;   // (global_step, eval_loss)
  std::vector<Point> learning_rate;
  std::optional<int64_t> last_step;  // largest global_step in the log
  std::optional<double> final_train_loss;
  std::optional<double> final_eval_loss;
  std::optional<double> best_eval_loss;
  std::optional<double> tokens_per_second;  // whole-run average
  std::optional<double> wall_seconds;       // sum over sessions (estimated for an unfinished one)
  int64_t sessions = 0;                     // end-of-training records seen
  bool finished = false;                    // the log ends with an end-of-training record
  std::vector<TextSample> samples;          // eval_text records, in step order
};

// Adds (x, y) to a curve. Points at or after x are dropped first: a resumed run that redid
// steps supersedes what the interrupted session logged for them.
void append_point(std::vector<Point>& curve, double x, double y);

LogSummary summarize_log(const std::vector<formats::JsonLogRecord>& records);

}  // namespace fg::report
