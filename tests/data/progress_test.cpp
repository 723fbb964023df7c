#include "data/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace fg::data {
namespace {

TEST(Progress, DrawsTheFirstUpdateAndFinishesAtTheTotal) {
  std::ostringstream out;
  auto cb = progress_callback(out, "tokenizing", /*interactive=*/false, "docs");
  cb(10, 100);
  cb(20, 100);  // throttled: non-interactive lines print at most every 5 s
  cb(100, 100);
  cb(100, 100);  // after finishing, nothing more is drawn
  std::string text = out.str();
  EXPECT_NE(text.find("tokenizing  10.0/100.0 docs   10%"), std::string::npos) << text;
  EXPECT_EQ(text.find("20.0/100.0"), std::string::npos) << text;
  EXPECT_NE(text.find("tokenizing  done in"), std::string::npos) << text;
  EXPECT_EQ(text.find("done in", text.find("done in") + 1), std::string::npos) << text;
}

}  // namespace
}  // namespace fg::data
