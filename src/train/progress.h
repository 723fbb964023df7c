#pragma once
// Console progress for training: a live single-line bar on a TTY, plain log lines otherwise.
#include <cstdint>
#include <cstdio>
#include <string>

namespace fg::train {

struct ProgressStats {
  int64_t step = 0;
  int64_t total_steps = 0;
  double epoch = 0;
  double loss = 0;
  double learning_rate = 0;
  double grad_norm = 0;
  double tokens_per_second = 0;
  double elapsed_seconds = 0;
};

class ProgressReporter {
 public:
  // `live` draws a redrawn bar (use is_terminal(out)); otherwise update() prints nothing and
  // only log_line() output appears, so piped logs stay readable.
  ProgressReporter(std::FILE* out, bool live, int width = 30);

  void update(const ProgressStats& stats);
  // A permanent line (training log, eval result, sample text); redraws the bar after it.
  void log_line(const std::string& line);
  void finish();

  static bool is_terminal(std::FILE* f);
  // "1:02:03" / "02:03"; "--:--" for unknown.
  static std::string format_duration(double seconds);
  static std::string render_bar(const ProgressStats& stats, int width);

 private:
  void clear_line();

  std::FILE* out_;
  bool live_;
  int width_;
  bool bar_drawn_ = false;
  ProgressStats last_;
};

// Spec-ml §5.9 console line: "<date time> <step:>10,> <epoch:<5.3> train-loss: ..."
std::string format_train_log_line(const std::string& timestamp, int64_t step, double epoch,
                                  double loss, double grad_norm, double learning_rate);
std::string format_eval_log_line(const std::string& timestamp, int64_t step, double epoch,
                                 double eval_loss);
std::string local_timestamp();  // "YYYY-mm-dd HH:MM:SS"

}  // namespace fg::train
