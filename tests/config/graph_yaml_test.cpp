#include "config/graph_yaml.h"

#include <gtest/gtest.h>

#include "config/yaml_loader.h"

namespace fg::config {
namespace {

TEST(GraphYaml, RoundTripsSharedNodesAndTags) {
  const std::string src =
      "a: &x !singleton:m:F@x {k: 1, s: 'a: b'}\n"
      "b: [*x, *x]\n"
      "c: !lambda:m:G [1, !var {name: v, default: 2}]\n"
      "d: !dict {z: 3e-4}\n"
      "e: !tuple [1, 2]\n";
  const Graph g = load_yaml_graph(src);
  const std::string out = graph_to_yaml(g);
  EXPECT_NE(out.find(".define: &x !singleton:m:F@x"), std::string::npos) << out;
  const Graph back = load_yaml_graph(out);
  EXPECT_EQ(back.targets(), g.targets());
  const auto b = back.target("b");
  EXPECT_EQ(b->items[0].get(), b->items[1].get());
  EXPECT_EQ(b->items[0]->kwargs[1].second->s, "a: b");
  EXPECT_EQ(back.target("c")->call_kind, CallKind::kPartial);
  EXPECT_EQ(back.target("c")->args[1]->var_default->i, 2);
  EXPECT_DOUBLE_EQ(back.target("d")->kwargs[0].second->f, 3e-4);
  EXPECT_EQ(back.target("e")->container, "tuple");
}

}  // namespace
}  // namespace fg::config
