// YAML nesting and alias-expansion limits (config/yaml_limits.h): a hostile config or a model's
// config.json graph must fail with the file, the line, the limit and the variable that raises it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "config/yaml_loader.h"
#include "core/error.h"

namespace fg::config {
namespace {

// The classic billion laughs: each level lists the previous one `fan` times.
std::string billion_laughs(int levels, int fan) {
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= levels; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < fan; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  return text;
}

// The same bomb through merge keys: each mapping merges the previous one many times.
std::string merge_bomb(int levels) {
  std::string text = "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n";
  for (int i = 1; i <= levels; ++i) {
    text += "m" + std::to_string(i) + ": &m" + std::to_string(i) + " {<<: [";
    for (int j = 0; j < 10; ++j) text += (j ? ", *m" : "*m") + std::to_string(i - 1);
    text += "], k" + std::to_string(i) + ": [*m" + std::to_string(i - 1) + ", *m" +
            std::to_string(i - 1) + "]}\n";
  }
  return text;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Block mappings nested `n` deep: "a:\n  a:\n    a: ..."
std::string deep_block_map(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += std::string(2 * i, ' ') + "a:\n";
  return out + std::string(2 * n, ' ') + "leaf\n";
}

// Aliases stacking depth: each anchor is 100 lists deep and holds the previous one.
std::string alias_depth_chain(int links) {
  std::string text = "d0: &d0 " + repeat("[", 100) + "1" + repeat("]", 100) + "\n";
  for (int i = 1; i <= links; ++i)
    text += "d" + std::to_string(i) + ": &d" + std::to_string(i) + " " + repeat("[", 100) + "*d" +
            std::to_string(i - 1) + repeat("]", 100) + "\n";
  return text;
}

struct LimitCase {
  const char* name;
  std::string yaml;
  std::vector<std::string> expected;  // substrings of the message
};

class HostileYamlLimits : public testing::TestWithParam<LimitCase> {};

TEST_P(HostileYamlLimits, FailsWithTheLimitAndItsVariable) {
  const LimitCase& c = GetParam();
  try {
    load_yaml_graph(c.yaml, {"bomb.yaml", nullptr});
    FAIL() << "accepted: " << c.name;
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    for (const auto& s : c.expected) EXPECT_NE(message.find(s), std::string::npos) << message;
    EXPECT_EQ(e.where().file, "bomb.yaml");
    EXPECT_GT(e.where().line, 0);
  }
}

const std::string kNodes = "more than 1000000 nodes";
const std::string kDepth = "expected at most 256 nested";

INSTANTIATE_TEST_SUITE_P(
    Documents, HostileYamlLimits,
    testing::Values(
        LimitCase{"billion_laughs", billion_laughs(9, 9), {kNodes, "FORGATHER_MAX_YAML_NODES"}},
        LimitCase{"wide_fan_bomb", billion_laughs(3, 200), {kNodes, "alias bomb"}},
        LimitCase{"merge_key_bomb", merge_bomb(8), {kNodes, "bomb.yaml:"}},
        LimitCase{"flow_seq_100k", repeat("[", 100000), {kDepth, "FORGATHER_MAX_YAML_DEPTH"}},
        LimitCase{"flow_map_100k", repeat("{a: ", 100000), {kDepth, "FORGATHER_MAX_YAML_DEPTH"}},
        LimitCase{"flow_seq_closed_300", repeat("[", 300) + repeat("]", 300), {kDepth}},
        LimitCase{"block_map_300", deep_block_map(300), {kDepth, "nesting too deep"}},
        LimitCase{"block_seq_300", repeat("- ", 300) + "x\n", {kDepth}},
        LimitCase{"aliases_stack_depth", alias_depth_chain(3), {kDepth, "aliases expanded"}},
        LimitCase{
            "tagged_nesting_300", repeat("!singleton:x:Y [", 300) + repeat("]", 300), {kDepth}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HostileYamlLimits, LowerLimitsFromOptions) {
  YamlLoadOptions opts{"small.yaml", nullptr};
  opts.limits.max_nodes = 10;
  try {
    load_yaml_graph("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", opts);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("more than 10 nodes"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().to_string(), "small.yaml:2:4");
  }
  opts.limits = {};
  opts.limits.max_depth = 3;
  try {
    load_yaml_graph("a:\n  b:\n    c: [d]\n", opts);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 3 nested"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, 3);
  }
}

TEST(HostileYamlLimits, EnvironmentOverridesAndRejectsBadValues) {
  ::setenv(kYamlMaxDepthEnv, "2", 1);
  EXPECT_EQ(YamlLimits::from_env().max_depth, 2);
  EXPECT_THROW(load_yaml_graph("a: {b: {c: 1}}\n"), ConfigError);
  ::setenv(kYamlMaxDepthEnv, "deep", 1);
  try {
    YamlLimits::from_env();
    FAIL() << "accepted FORGATHER_MAX_YAML_DEPTH=deep";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("FORGATHER_MAX_YAML_DEPTH: expected a positive integer"),
              std::string::npos)
        << e.what();
  }
  ::unsetenv(kYamlMaxDepthEnv);
  ::setenv(kYamlMaxNodesEnv, "0", 1);
  EXPECT_THROW(YamlLimits::from_env(), Error);
  ::unsetenv(kYamlMaxNodesEnv);
}

TEST(HostileYamlLimits, TemplateLineIsReported) {
  YamlLoadOptions opts;
  opts.mapper = [](int64_t line0) { return SourceLocation{"project/config.yaml", line0 + 10}; };
  try {
    load_yaml_graph("ok: 1\nbomb: " + repeat("[", 1000) + "\n", opts);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().file, "project/config.yaml");
    EXPECT_EQ(e.where().line, 11);
    EXPECT_NE(std::string(e.what()).find("rendered line 2"), std::string::npos) << e.what();
  }
}

TEST(YamlLimits, SharedAnchorsWithinTheLimitLoad) {
  // 8^5 expanded nodes is well under the default limit: anchors used normally stay fine.
  const Graph g = load_yaml_graph(billion_laughs(4, 8));
  EXPECT_EQ(g.root->entries.size(), 5u);
  std::string nested = repeat("[", 255) + repeat("]", 255);
  EXPECT_NO_THROW(load_yaml_graph(nested));
}

}  // namespace
}  // namespace fg::config
