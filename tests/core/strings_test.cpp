#include "core/strings.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace fg {

TEST(Strings, EditDistance) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  EXPECT_EQ(edit_distance("same", "same"), 0);
}

TEST(Strings, NearMatchesRanksClosestFirst) {
  std::vector<std::string> names = {"learning_rate", "logging_steps", "weight_decay",
                                    "warmup_steps"};
  auto near = near_matches("learning_rat", names);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0], "learning_rate");
  EXPECT_EQ(did_you_mean("zzzzzzzzzzzz", names), "");
  EXPECT_EQ(did_you_mean("warmup_step", names), " (did you mean 'warmup_steps'?)");
}

TEST(Strings, Trim) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(trim("   "), "");
}

TEST(Error, ConfigErrorNamesFileLineAndKey) {
  ConfigError e("expected a number, found 'abc'", SourceLocation{"configs/base.yaml", 12, 3},
                "trainer.learning_rate");
  EXPECT_STREQ(
      e.what(),
      "configs/base.yaml:12:3: at 'trainer.learning_rate': expected a number, found 'abc'");
  EXPECT_EQ(e.bare_message(), "expected a number, found 'abc'");
}

}  // namespace fg
