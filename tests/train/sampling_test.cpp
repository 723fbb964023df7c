#include "train/sampling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/error.h"

namespace fg::train {
namespace {

TEST(Sampling, GreedyPicksTheLargestLogit) {
  std::vector<float> z = {0.1f, 2.0f, -1.0f, 1.9f};
  Rng rng(1);
  EXPECT_EQ(select_token(z, {}, SamplingOptions::greedy(), rng), 1);
}

TEST(Sampling, RepetitionPenaltyDividesPositiveAndMultipliesNegative) {
  std::vector<float> z = {2.0f, -2.0f, 1.0f};
  SamplingOptions o = SamplingOptions::greedy();
  o.repetition_penalty = 2.0f;
  std::vector<int64_t> context = {0, 1, 1};
  shape_logits(z, context, o);
  EXPECT_FLOAT_EQ(z[0], 1.0f);
  EXPECT_FLOAT_EQ(z[1], -4.0f);
  EXPECT_FLOAT_EQ(z[2], 1.0f);
}

TEST(Sampling, TopKKeepsOnlyTheKLargest) {
  std::vector<float> z = {1, 5, 3, 4, 2};
  SamplingOptions o;
  o.temperature = 1.0f;
  o.top_k = 2;
  o.top_p = 1.0f;
  o.repetition_penalty = 1.0f;
  shape_logits(z, {}, o);
  EXPECT_TRUE(std::isinf(z[0]) && std::isinf(z[2]) && std::isinf(z[4]));
  EXPECT_EQ(z[1], 5);
  EXPECT_EQ(z[3], 4);
}

TEST(Sampling, TopPRemovesTheLowTail) {
  // probabilities ~ [0.643, 0.237, 0.087, 0.032]: p = 0.8 keeps the first two.
  std::vector<float> z = {3, 2, 1, 0};
  SamplingOptions o;
  o.temperature = 1.0f;
  o.top_k = 0;
  o.top_p = 0.8f;
  o.repetition_penalty = 1.0f;
  shape_logits(z, {}, o);
  EXPECT_FALSE(std::isinf(z[0]));
  EXPECT_FALSE(std::isinf(z[1]));
  EXPECT_TRUE(std::isinf(z[2]));
  EXPECT_TRUE(std::isinf(z[3]));
}

TEST(Sampling, SamplingFollowsTheSoftmaxAndIsSeeded) {
  SamplingOptions o;
  o.temperature = 1.0f;
  o.top_k = 0;
  o.top_p = 1.0f;
  o.repetition_penalty = 1.0f;
  Rng rng(7);
  std::map<int64_t, int> counts;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    std::vector<float> z = {0.0f, std::log(3.0f)};
    counts[select_token(z, {}, o, rng)]++;
  }
  EXPECT_NEAR(counts[1] / static_cast<double>(n), 0.75, 0.02);
  Rng a(3), b(3);
  std::vector<float> z1 = {1, 2, 3}, z2 = {1, 2, 3};
  EXPECT_EQ(select_token(z1, {}, o, a), select_token(z2, {}, o, b));
}

TEST(Sampling, RejectsBadOptions) {
  SamplingOptions o;
  o.temperature = 0;
  EXPECT_THROW(o.validate(), Error);
  o = SamplingOptions{};
  o.top_p = 1.5f;
  EXPECT_THROW(o.validate(), Error);
}

// Logits from a model with broken weights: NaN or +inf is an error naming the token, for greedy
// decoding and for sampling with top-k and top-p (whose sorts need a strict order).
struct BadLogits {
  std::string name;
  bool sample;
  float value;
  std::string shown;
};

void PrintTo(const BadLogits& c, std::ostream* os) {
  *os << c.name;
}

class HostileLogits : public ::testing::TestWithParam<BadLogits> {};

TEST_P(HostileLogits, NonFiniteLogitIsAnError) {
  const BadLogits& c = GetParam();
  SamplingOptions o = c.sample ? SamplingOptions{} : SamplingOptions::greedy();
  o.top_k = c.sample ? 2 : 0;
  o.top_p = c.sample ? 0.9f : 1.0f;
  std::vector<float> z = {0.5f, 1.0f, c.value, -1.0f};
  Rng rng(3);
  std::string message;
  try {
    select_token(z, std::vector<int64_t>{1, 2, 3}, o, rng);
  } catch (const Error& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("[generate] the model produced a non-finite logit (" + c.shown +
                         ") for token 2 after 3 tokens of context"),
            std::string::npos)
      << message;
}

INSTANTIATE_TEST_SUITE_P(Logits, HostileLogits,
                         ::testing::Values(BadLogits{"NanGreedy", false, std::nanf(""), "nan"},
                                           BadLogits{"InfGreedy", false, HUGE_VALF, "inf"},
                                           BadLogits{"NanSampled", true, std::nanf(""), "nan"},
                                           BadLogits{"InfSampled", true, HUGE_VALF, "inf"}),
                         [](const auto& info) { return info.param.name; });

TEST(HostileLogitsOk, NegativeInfinityIsAMaskedToken) {
  std::vector<float> z = {0.5f, -HUGE_VALF, 1.0f};
  Rng rng(3);
  EXPECT_EQ(select_token(z, {}, SamplingOptions::greedy(), rng), 2);
}

}  // namespace
}  // namespace fg::train
