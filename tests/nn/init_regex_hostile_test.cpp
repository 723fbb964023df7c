// Weight-init patterns come from configs, which may come from strangers: a pattern that makes a
// backtracking engine take exponential time, or one it cannot compile, must neither hang nor crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "core/error.h"
#include "nn/init.h"
#include "nn/linear.h"

namespace fg::nn {
namespace {

using ::testing::HasSubstr;

const std::map<std::string, ParamInit> kInits = {
    {"zeros", [](Tensor& t, Rng&) { init_constant_(t, 0.0f); }}};

std::string init_error(const std::string& pattern) {
  Linear l(4, 4);
  Rng rng(1);
  try {
    init_weights_by_regex(l, rng, {{pattern, "zeros"}}, kInits);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

struct BadPattern {
  const char* label;
  const char* pattern;
  const char* expected;
};

class HostileInitRegex : public ::testing::TestWithParam<BadPattern> {};

TEST_P(HostileInitRegex, IsRefusedNamingThePattern) {
  const std::string message = init_error(GetParam().pattern);
  EXPECT_THAT(message, HasSubstr("[init_weights_by_regex] invalid regex"));
  EXPECT_THAT(message, HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, HostileInitRegex,
    ::testing::Values(BadPattern{"unclosed_group", "(weight", "missing )"},
                      BadPattern{"unclosed_class", "[weight", "missing ]"},
                      BadPattern{"back_reference", "(w)\\1", "invalid escape sequence"},
                      BadPattern{"dangling_repeat", "*weight", "no argument for repetition"},
                      BadPattern{"huge_repeat", "a{100000}", "invalid repetition size"}),
    [](const auto& info) { return std::string(info.param.label); });

// (w*)*$ against a long run of w's followed by a mismatch is exponential for a backtracking
// engine; RE2 answers in linear time.
TEST(HostileInitRegexTime, CatastrophicPatternFinishesQuickly) {
  Linear l(4, 4);
  Rng rng(1);
  const auto start = std::chrono::steady_clock::now();
  init_weights_by_regex(l, rng, {{"^(w*)*(w*)*(w*)*x$", "zeros"}, {"weight|bias", "zeros"}},
                        kInits);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
  EXPECT_EQ(l.weight().to_vector()[0], 0.0f);
}

}  // namespace
}  // namespace fg::nn
