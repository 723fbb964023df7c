// Limit overrides from the environment (core/env_limit.h): anything but a positive integer is
// refused with the variable's name and value, never silently replaced by the default.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/env_limit.h"
#include "core/error.h"

namespace fg {
namespace {

constexpr const char* kVar = "FG_TEST_ENV_LIMIT";

struct EnvCase {
  const char* name;
  const char* value;
};

class HostileEnvLimit : public testing::TestWithParam<EnvCase> {};

TEST_P(HostileEnvLimit, RefusesTheValue) {
  ::setenv(kVar, GetParam().value, 1);
  try {
    env_limit(kVar, 7);
    FAIL() << "accepted '" << GetParam().value << "'";
  } catch (const Error& e) {
    const std::string expected = std::string("[Limits] environment variable ") + kVar +
                                 ": expected a positive integer below 2^63, found '" +
                                 GetParam().value + "'";
    EXPECT_EQ(e.what(), expected);
  }
  ::unsetenv(kVar);
}

INSTANTIATE_TEST_SUITE_P(Values, HostileEnvLimit,
                         testing::Values(EnvCase{"word", "lots"}, EnvCase{"negative", "-5"},
                                         EnvCase{"zero", "0"},
                                         EnvCase{"too_large", "99999999999999999999"},
                                         EnvCase{"trailing_text", "12x"},
                                         EnvCase{"fraction", "2.5"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(EnvLimit, UnsetOrEmptyGivesTheDefault) {
  ::unsetenv(kVar);
  EXPECT_EQ(env_limit(kVar, 7), 7);
  ::setenv(kVar, "", 1);
  EXPECT_EQ(env_limit(kVar, 7), 7);
  ::setenv(kVar, "12", 1);
  EXPECT_EQ(env_limit(kVar, 7), 12);
  ::unsetenv(kVar);
}

}  // namespace
}  // namespace fg
