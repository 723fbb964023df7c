#include "data/synthetic_stories.h"

#include <gtest/gtest.h>

#include <set>

namespace fg::data {
namespace {

TEST(SyntheticStories, AreDeterministicDistinctAndReadable) {
  auto a = synthetic_stories({.seed = 1, .first = 0, .count = 5000});
  auto b = synthetic_stories({.seed = 1, .first = 0, .count = 5000});
  EXPECT_EQ(a, b);
  std::set<std::string> distinct(a.begin(), a.end());
  EXPECT_GT(distinct.size(), 4900u);
  for (const auto& s : a) {
    EXPECT_GT(s.size(), 200u);
    EXPECT_EQ(s.find("{}"), std::string::npos);
    for (char c : s) EXPECT_FALSE(c >= 'A' && c <= 'Z') << s;  // lowercase, like tinystories-lc
  }
  EXPECT_EQ(synthetic_story(1, 42), a[42]);
  EXPECT_NE(synthetic_story(2, 42), a[42]);
}

TEST(SyntheticStories, CanTellOfALittleDragonWhoLovesToReadStories) {
  bool found = false;
  for (int64_t i = 0; i < 20000 && !found; ++i) {
    std::string s = synthetic_story(20240601, i);
    found = s.find("little dragon named") != std::string::npos &&
            s.find("loved to read stories") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

TEST(SyntheticStories, SplitsAreDisjointAndSliceable) {
  auto train = synthetic_split("train[:100]");
  auto valid = synthetic_split("validation[:100]");
  ASSERT_EQ(train.size(), 100u);
  EXPECT_EQ(synthetic_split("train[:1%]").size(), 500u);
  std::set<std::string> t(train.begin(), train.end());
  for (const auto& v : valid) EXPECT_EQ(t.count(v), 0u);
}

}  // namespace
}  // namespace fg::data
