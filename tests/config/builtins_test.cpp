// Builtin constructors given hostile numbers: named errors, never a wrapped value or a crash.
#include <gtest/gtest.h>

#include "config/graph_override.h"
#include "config/materializer.h"
#include "config/registry.h"
#include "config/yaml_loader.h"

namespace fg::config {
namespace {

std::string error_of(const std::string& yaml) {
  Registry r;
  register_core_builtins(r);
  YamlLoadOptions o;
  o.source_name = "hostile.yaml";
  Materializer m(r, load_yaml_graph(yaml, o));
  try {
    m.target("x");
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

struct BadBuiltin {
  const char* name;
  const char* yaml;
  const char* message;
};

class HostileBuiltins : public ::testing::TestWithParam<BadBuiltin> {};

TEST_P(HostileBuiltins, RefusedAtTheNode) {
  const std::string msg = error_of(GetParam().yaml);
  EXPECT_NE(msg.find("hostile.yaml:1"), std::string::npos) << msg;
  EXPECT_NE(msg.find(GetParam().message), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileBuiltins,
    ::testing::Values(
        BadBuiltin{"IntOfTwentyDigits", "x: !call:int [\"99999999999999999999\"]\n",
                   "[int] expected a 64-bit integer, found '99999999999999999999' (out of range"},
        BadBuiltin{"IntOfWord", "x: !call:int [\"ten\"]\n", "found 'ten'"},
        BadBuiltin{"IntOfHugeFloat", "x: !call:int [1.0e300]\n",
                   "int() expected a number that fits a 64-bit integer"},
        BadBuiltin{"IntOfNaN", "x: !call:int [.nan]\n", "fits a 64-bit integer, found nan"},
        BadBuiltin{"FloatOverflow", "x: !call:float [\"1e999\"]\n",
                   "[float] expected a finite number, found '1e999' (out of range for a double)"},
        BadBuiltin{"AddOverflow", "x: !call:operator:add [9223372036854775807, 1]\n",
                   "9223372036854775807 + 1 overflows a 64-bit integer"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HostileOverride, IndexBeyondInt64IsNoSuchKey) {
  Graph g = load_yaml_graph("x: !call:named_list [1, 2]\n");
  try {
    apply_override(g, "x.99999999999999999999", "3");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("[--set] no key '99999999999999999999' under 'x'"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::config
