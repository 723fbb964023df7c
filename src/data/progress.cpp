#include "data/progress.h"

#include <fmt/format.h>

namespace fg::data {

ProgressLine::ProgressLine(std::ostream& out, std::string label, bool interactive)
    : out_(out), label_(std::move(label)), interactive_(interactive) {}

void ProgressLine::update(double done, double total, const std::string& unit) {
  const double every = interactive_ ? 0.1 : 5.0;
  if (printed_ && since_print_.seconds() < every) return;
  since_print_.reset();
  printed_ = true;
  std::string line =
      total > 0 ? fmt::format("{}  {:.1f}/{:.1f} {}  {:3.0f}%  {:.1f} s", label_, done, total, unit,
                              100.0 * done / total, timer_.seconds())
                : fmt::format("{}  {:.1f} {}  {:.1f} s", label_, done, unit, timer_.seconds());
  out_ << (interactive_ ? "\r" + line + "\x1b[K" : line + "\n") << std::flush;
}

void ProgressLine::finish(const std::string& note) {
  std::string line = fmt::format("{}  done in {:.1f} s{}", label_, timer_.seconds(),
                                 note.empty() ? "" : "  " + note);
  out_ << (interactive_ ? "\r" + line + "\x1b[K\n" : line + "\n") << std::flush;
}

std::function<void(int64_t, int64_t)> progress_callback(std::ostream& out, std::string label,
                                                        bool interactive, std::string unit,
                                                        double scale) {
  auto line = std::make_shared<ProgressLine>(out, std::move(label), interactive);
  auto finished = std::make_shared<bool>(false);
  return [line, finished, unit = std::move(unit), scale](int64_t done, int64_t total) {
    if (*finished) return;
    line->update(static_cast<double>(done) * scale,
                 total >= 0 ? static_cast<double>(total) * scale : -1.0, unit);
    if (total >= 0 && done >= total) {
      *finished = true;
      line->finish();
    }
  };
}

}  // namespace fg::data
