// A model directory's config.json carries its graph as YAML (builders/model_graph.h): the YAML
// limits apply there too, so an alias bomb or deep nesting in a downloaded model fails safe.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "builders/model_graph.h"
#include "builders_test_util.h"

namespace fg::builders {
namespace {

std::string graph_error(const std::string& yaml) {
  const nlohmann::json config = {{kModelGraphKey, yaml}, {"hidden_size", 8}};
  return testing::error_of(
      [&] { build_model_from_json(config, testing::registry(), "m/config.json"); });
}

TEST(HostileModelGraph, AliasBombIsRefused) {
  std::string yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    yaml += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) yaml += (j ? ", *l" : "*l") + std::to_string(i - 1);
    yaml += "]\n";
  }
  const std::string message = graph_error(yaml);
  EXPECT_NE(message.find("m/config.json:forgather_model_graph:"), std::string::npos) << message;
  EXPECT_NE(message.find("more than 1000000 nodes"), std::string::npos) << message;
  EXPECT_NE(message.find("FORGATHER_MAX_YAML_NODES"), std::string::npos) << message;
}

TEST(HostileModelGraph, DeepNestingIsRefused) {
  const std::string message = graph_error("model: " + std::string(100000, '['));
  EXPECT_NE(message.find("m/config.json:forgather_model_graph:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("nesting too deep"), std::string::npos) << message;
  EXPECT_NE(message.find("FORGATHER_MAX_YAML_DEPTH"), std::string::npos) << message;
}

}  // namespace
}  // namespace fg::builders
