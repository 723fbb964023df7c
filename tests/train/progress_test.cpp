#include "train/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace fg::train {
namespace {

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[256];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(ProgressReporter::format_duration(0), "00:00");
  EXPECT_EQ(ProgressReporter::format_duration(125), "02:05");
  EXPECT_EQ(ProgressReporter::format_duration(3723), "1:02:03");
  EXPECT_EQ(ProgressReporter::format_duration(-1), "--:--");
}

TEST(Progress, BarShowsStepLossLrAndEta) {
  ProgressStats st{.step = 50,
                   .total_steps = 100,
                   .epoch = 0.5,
                   .loss = 3.25,
                   .learning_rate = 3e-4,
                   .grad_norm = 1.5,
                   .tokens_per_second = 1234,
                   .elapsed_seconds = 10};
  std::string bar = ProgressReporter::render_bar(st, 10);
  EXPECT_EQ(bar,
            "[#####.....] 50/100 loss 3.2500 lr 3.00e-04 gnorm 1.500 1234 tok/s 00:10 < 00:10");
}

TEST(Progress, PlainModePrintsOnlyLogLines) {
  std::FILE* f = std::tmpfile();
  ProgressReporter p(f, /*live=*/false);
  p.update({.step = 1, .total_steps = 10});
  p.log_line("hello");
  p.finish();
  EXPECT_EQ(read_all(f), "hello\n");
  std::fclose(f);
}

TEST(Progress, LiveModeRedrawsTheBarAfterLogLines) {
  std::FILE* f = std::tmpfile();
  ProgressReporter p(f, /*live=*/true, 4);
  p.update({.step = 1, .total_steps = 4});
  p.log_line("eval");
  p.finish();
  std::string s = read_all(f);
  EXPECT_NE(s.find("[#...] 1/4"), std::string::npos) << s;
  EXPECT_NE(s.find("\r\033[2Keval\n"), std::string::npos) << s;
  EXPECT_EQ(s.back(), '\n');
  std::fclose(f);
}

TEST(Progress, LogLinesFollowTheOriginalFormat) {
  EXPECT_EQ(format_train_log_line("2025-01-01 00:00:00", 1200, 0.25, 3.123456, 0.5, 3e-4),
            "2025-01-01 00:00:00      1,200 0.25  train-loss: 3.12346 grad-norm: 0.50000 "
            "learning-rate: 3.00e-04");
  EXPECT_EQ(format_eval_log_line("2025-01-01 00:00:00", 200, 0.1, 4.0),
            "2025-01-01 00:00:00        200 0.1   eval-loss:  4.00000");
}

}  // namespace
}  // namespace fg::train
