#pragma once
// A one-line progress display ("label  12.3/45.6 MB  27%  3.1 s") for terminals; on other streams
// it prints a line only every few seconds. The owner passes the stream; nothing global.
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/timer.h"

namespace fg::data {

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, std::string label, bool interactive);
  // `unit` follows the numbers ("docs", "MB"); total < 0 when unknown.
  void update(double done, double total, const std::string& unit);
  void finish(const std::string& note = "");

 private:
  std::ostream& out_;
  std::string label_;
  bool interactive_;
  Timer timer_;
  Timer since_print_;
  bool printed_ = false;
};

// A callback for (done, total) counters (documents encoded, bytes downloaded) that draws a
// ProgressLine and finishes it when done reaches total. `scale` converts counts (1e-6 for MB).
std::function<void(int64_t, int64_t)> progress_callback(std::ostream& out, std::string label,
                                                        bool interactive, std::string unit,
                                                        double scale = 1.0);

}  // namespace fg::data
