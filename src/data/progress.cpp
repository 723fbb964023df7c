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

}  // namespace fg::data
