#include "train/progress.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <ctime>

namespace fg::train {

ProgressReporter::ProgressReporter(std::FILE* out, bool live, int width)
    : out_(out), live_(live), width_(width) {}

bool ProgressReporter::is_terminal(std::FILE* f) {
  return isatty(fileno(f)) != 0;
}

std::string ProgressReporter::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  auto total = static_cast<int64_t>(seconds + 0.5);
  int64_t h = total / 3600, m = (total / 60) % 60, s = total % 60;
  if (h > 0) return fmt::format("{}:{:02}:{:02}", h, m, s);
  return fmt::format("{:02}:{:02}", m, s);
}

std::string ProgressReporter::render_bar(const ProgressStats& st, int width) {
  double fraction = st.total_steps > 0 ? static_cast<double>(st.step) / st.total_steps : 0.0;
  fraction = std::min(1.0, std::max(0.0, fraction));
  int filled = static_cast<int>(fraction * width);
  std::string bar(filled, '#');
  bar += std::string(width - filled, '.');
  double eta = (st.step > 0 && st.total_steps > 0)
                   ? st.elapsed_seconds / st.step * (st.total_steps - st.step)
                   : NAN;
  return fmt::format("[{}] {}/{} loss {:.4f} lr {:.2e} gnorm {:.3f} {:.0f} tok/s {} < {}", bar,
                     st.step, st.total_steps, st.loss, st.learning_rate, st.grad_norm,
                     st.tokens_per_second, format_duration(st.elapsed_seconds),
                     format_duration(eta));
}

void ProgressReporter::clear_line() {
  if (live_ && bar_drawn_) {
    std::fputs("\r\033[2K", out_);
    bar_drawn_ = false;
  }
}

void ProgressReporter::update(const ProgressStats& stats) {
  last_ = stats;
  if (!live_) return;
  clear_line();
  std::fputs(render_bar(stats, width_).c_str(), out_);
  std::fflush(out_);
  bar_drawn_ = true;
}

void ProgressReporter::log_line(const std::string& line) {
  clear_line();
  std::fputs(line.c_str(), out_);
  std::fputc('\n', out_);
  if (live_ && last_.total_steps > 0) {
    std::fputs(render_bar(last_, width_).c_str(), out_);
    bar_drawn_ = true;
  }
  std::fflush(out_);
}

void ProgressReporter::finish() {
  if (live_ && bar_drawn_) {
    std::fputc('\n', out_);
    bar_drawn_ = false;
  }
  std::fflush(out_);
}

namespace {
// Python's "{:,}" grouping, independent of the process locale.
std::string with_thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}
}  // namespace

std::string local_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return fmt::format("{:%Y-%m-%d %H:%M:%S}", tm);
}

std::string format_train_log_line(const std::string& timestamp, int64_t step, double epoch,
                                  double loss, double grad_norm, double learning_rate) {
  return fmt::format(
      "{} {:>10} {:<5.3} train-loss: {:.5f} grad-norm: {:.5f} learning-rate: {:1.2e}", timestamp,
      with_thousands(step), epoch, loss, grad_norm, learning_rate);
}

std::string format_eval_log_line(const std::string& timestamp, int64_t step, double epoch,
                                 double eval_loss) {
  return fmt::format("{} {:>10} {:<5.3} eval-loss:  {:.5f}", timestamp, with_thousands(step), epoch,
                     eval_loss);
}

}  // namespace fg::train
