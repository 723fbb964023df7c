// Untrusted JSON (core/json_parse.h): deep nesting is refused before nlohmann builds a value
// that would overflow the stack when copied or printed; syntax errors name the origin and line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/json_parse.h"

namespace fg {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct JsonCase {
  const char* name;
  std::string text;
  std::vector<std::string> expected;  // substrings of the message
};

class HostileJson : public testing::TestWithParam<JsonCase> {};

TEST_P(HostileJson, FailsNamingTheProblem) {
  const JsonCase& c = GetParam();
  try {
    parse_json(c.text, "dir/config.json");
    FAIL() << "accepted: " << c.name;
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("[JSON] dir/config.json: "), std::string::npos) << message;
    for (const auto& s : c.expected) EXPECT_NE(message.find(s), std::string::npos) << message;
    EXPECT_EQ(message.find("[json.exception"), std::string::npos) << message;
  }
}

const std::string kDeep = "nesting too deep: expected at most 256 nested arrays or objects";

INSTANTIATE_TEST_SUITE_P(
    Texts, HostileJson,
    testing::Values(
        JsonCase{"array_100k",
                 repeat("[", 100000),
                 {kDeep, "line 1, column 257", "FORGATHER_MAX_JSON_DEPTH"}},
        JsonCase{"closed_array_300", repeat("[", 300) + repeat("]", 300), {kDeep}},
        JsonCase{"object_100k", repeat("{\"a\":", 100000), {kDeep}},
        JsonCase{"deep_on_a_later_line",
                 "{\n\"x\": 1,\n\"g\": " + repeat("[", 300),
                 {"line 3, column 261"}},
        JsonCase{"truncated", "{\"a\": [1, 2", {"invalid JSON", "line 1, column 12"}},
        JsonCase{"empty", "", {"invalid JSON", "unexpected end of input"}},
        JsonCase{"number_overflow", "{\"lr\": 1e999}", {"invalid JSON", "number overflow"}},
        JsonCase{"invalid_utf8", "{\"\xff\xfe\": 1}", {"invalid JSON", "invalid string"}},
        JsonCase{"trailing_garbage", "{} {}", {"invalid JSON", "expected end of input"}},
        JsonCase{"nul_byte", std::string("{\"a\"\0: 1}", 9), {"invalid JSON"}},
        JsonCase{"comment", "{\"a\": 1 /* no */}", {"invalid JSON"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HostileJson, BracketsInsideStringsDoNotCount) {
  const std::string text = "[\"" + repeat("[{", 1000) + "\\\"]\"]";
  EXPECT_EQ(parse_json(text, "x.json")[0].get<std::string>().size(), 2002u);
}

TEST(HostileJson, EnvironmentOverridesAndRejectsBadValues) {
  ::setenv(kJsonMaxDepthEnv, "2", 1);
  EXPECT_EQ(json_max_depth(), 2);
  EXPECT_THROW(parse_json("[[[1]]]", "x.json"), IoError);
  EXPECT_NO_THROW(parse_json("[[1]]", "x.json"));
  ::setenv(kJsonMaxDepthEnv, "-1", 1);
  try {
    json_max_depth();
    FAIL() << "accepted FORGATHER_MAX_JSON_DEPTH=-1";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[Limits] environment variable FORGATHER_MAX_JSON_DEPTH"),
              std::string::npos)
        << e.what();
  }
  ::unsetenv(kJsonMaxDepthEnv);
}

}  // namespace
}  // namespace fg
