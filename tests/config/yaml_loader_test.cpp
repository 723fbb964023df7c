#include "config/yaml_loader.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fg::config {
namespace {

NodePtr get(const Graph& g, const std::string& key) {
  return g.target(key);
}

TEST(YamlScalars, ResolutionRules) {
  auto g = load_yaml_graph(
      "a: 3e-4\nb: 1e3\nc: 1.0e-3\nd: 010\ne: yes\nf: '3e-4'\ng: 12:30\nh: .5\ni: ~\nj: 0x1F\n"
      "k: off\nl: hello\nm: .inf\nn: 1_000\n");
  EXPECT_EQ(get(g, "a")->kind, NodeKind::kFloat);
  EXPECT_DOUBLE_EQ(get(g, "a")->f, 3e-4);
  EXPECT_DOUBLE_EQ(get(g, "b")->f, 1000.0);
  EXPECT_DOUBLE_EQ(get(g, "c")->f, 1e-3);
  EXPECT_EQ(get(g, "d")->i, 8);
  EXPECT_TRUE(get(g, "e")->b);
  EXPECT_EQ(get(g, "f")->kind, NodeKind::kString);
  EXPECT_EQ(get(g, "g")->i, 750);
  EXPECT_DOUBLE_EQ(get(g, "h")->f, 0.5);
  EXPECT_EQ(get(g, "i")->kind, NodeKind::kNull);
  EXPECT_EQ(get(g, "j")->i, 31);
  EXPECT_EQ(get(g, "k")->kind, NodeKind::kBool);
  EXPECT_EQ(get(g, "l")->s, "hello");
  EXPECT_TRUE(std::isinf(get(g, "m")->f));
  EXPECT_EQ(get(g, "n")->i, 1000);
}

TEST(YamlGraph, DuplicateKeysLastWinsFirstPosition) {
  auto g = load_yaml_graph("x: 1\ny: 2\nx: 3\n");
  EXPECT_EQ(g.targets(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(get(g, "x")->i, 3);
}

TEST(YamlGraph, DotKeysHiddenAndAliasesShareNodes) {
  auto g = load_yaml_graph(
      ".define: &lin !singleton:torch.nn:Linear@lin [4, 8]\n.define: 2\na: *lin\nb: *lin\n");
  EXPECT_EQ(g.targets(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(get(g, "a").get(), get(g, "b").get());
  EXPECT_EQ(get(g, "a")->constructor, "torch.nn:Linear");
  EXPECT_EQ(get(g, "a")->name, "lin");
  EXPECT_EQ(get(g, "a")->args.size(), 2u);
}

TEST(YamlGraph, TagGrammar) {
  auto g = load_yaml_graph(
      "a: !dict:@meta {k: 1}\nb: !dict@model_factory {}\nc: !lambda:.x:Y\n  q: 1\n"
      "d: !factory:f:g []\ne: !meta:m:n []\nf: !call:len [[1]]\n");
  EXPECT_EQ(get(g, "a")->name, "meta");
  EXPECT_EQ(get(g, "a")->container, "dict");
  EXPECT_EQ(get(g, "b")->name, "");  // quirk: no name
  EXPECT_EQ(get(g, "c")->call_kind, CallKind::kPartial);
  EXPECT_EQ(get(g, "c")->constructor, ".x:Y");
  EXPECT_EQ(get(g, "d")->call_kind, CallKind::kFactory);
  EXPECT_EQ(get(g, "e")->call_kind, CallKind::kMeta);
  EXPECT_EQ(get(g, "f")->call_kind, CallKind::kSingleton);
}

TEST(YamlGraph, ArgumentForms) {
  auto g = load_yaml_graph(
      "a: !call:f {args: [1, 2], kwargs: {k: 3}}\n"
      "b: !call:f {arg1: 'second', arg0: 'first', k: 4, latent_args: {z: 1}}\n"
      "c: !call:f {args: [1], other: 2}\n");
  EXPECT_EQ(get(g, "a")->args.size(), 2u);
  EXPECT_EQ(get(g, "a")->kwargs.size(), 1u);
  EXPECT_EQ(get(g, "b")->args[0]->s, "first");
  EXPECT_EQ(get(g, "b")->args[1]->s, "second");
  ASSERT_TRUE(get(g, "b")->latent_args);
  EXPECT_EQ(get(g, "b")->kwargs.size(), 1u);
  EXPECT_EQ(get(g, "c")->kwargs.size(), 2u);  // 'args' mixed with others is a keyword
}

TEST(YamlGraph, MergeKeys) {
  auto g = load_yaml_graph(
      ".d: &base {a: 1, b: 2}\n.e: &more {b: 9, c: 3}\nx:\n  <<: [*base, *more]\n  a: 5\n");
  auto x = get(g, "x");
  ASSERT_EQ(x->entries.size(), 3u);
  EXPECT_EQ(x->entries[0].first, "a");
  EXPECT_EQ(x->entries[0].second->i, 5);
  EXPECT_EQ(x->entries[1].second->i, 2);  // earlier mapping wins
  EXPECT_EQ(x->entries[2].second->i, 3);
}

TEST(YamlGraph, DList) {
  auto g = load_yaml_graph("l: !dlist {a: 1, b: ~, a: 3, c: 4}\n");
  auto l = get(g, "l");
  ASSERT_EQ(l->args.size(), 2u);
  EXPECT_EQ(l->args[0]->i, 3);
  EXPECT_EQ(l->args[1]->i, 4);
}

TEST(YamlGraph, KeyPathsAndLines) {
  auto g = load_yaml_graph("a:\n  b:\n    - 1\n    - c: 2\n", {"t.yaml", nullptr});
  auto c = get(g, "a")->entries[0].second->items[1]->entries[0].second;
  EXPECT_EQ(c->key_path, "a.b[1].c");
  EXPECT_EQ(c->where.file, "t.yaml");
  EXPECT_EQ(c->where.line, 4);
}

TEST(YamlGraph, Var) {
  auto g = load_yaml_graph("a: !var x\nb: !var {name: y, default: 3}\n");
  EXPECT_EQ(get(g, "a")->kind, NodeKind::kVar);
  EXPECT_EQ(get(g, "b")->var_default->i, 3);
}

// Hostile documents the loader must handle without a crash, a hang or an unnamed error.
TEST(HostileYamlLoader, HugePositionalIndexSortsLast) {
  auto g = load_yaml_graph(
      "c: !singleton:m:F\n  arg99999999999999999999999: late\n  arg1: b\n"
      "  arg0: a\n");
  auto c = get(g, "c");
  ASSERT_EQ(c->args.size(), 3u);
  EXPECT_EQ(c->args[0]->s, "a");
  EXPECT_EQ(c->args[2]->s, "late");
}

TEST(HostileYamlLoader, LongKeysDoNotMakePathsHuge) {
  // Paths are stored per node: a 100 KB key above 2,000 items would otherwise cost 200 MB.
  std::string text = "? " + std::string(100000, 'k') + "\n:\n";
  for (int i = 0; i < 2000; ++i) text += "  - " + std::to_string(i) + "\n";
  text += "  - !nope x\n";
  try {
    load_yaml_graph(text, {"long.yaml", nullptr});
    FAIL() << "accepted an unknown tag";
  } catch (const ConfigError& e) {
    EXPECT_LE(e.key_path().size(), 256u);
    EXPECT_EQ(e.key_path().substr(0, 3), "...");
    EXPECT_NE(std::string(e.what()).find("[2000]': [YAML] could not determine a constructor for "
                                         "the tag '!nope'"),
              std::string::npos)
        << std::string(e.what()).substr(0, 400);
  }
}

TEST(HostileYamlLoader, ManyKeysLoadInLinearTime) {
  // 100,000 distinct keys and a merge of them: a linear search per key took minutes.
  std::string text = "big: &big\n";
  for (int i = 0; i < 100000; ++i)
    text += "  k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  text += "copy:\n  <<: *big\n  k5: five\n";
  auto g = load_yaml_graph(text);
  EXPECT_EQ(get(g, "copy")->entries.size(), 100000u);
  EXPECT_EQ(get(g, "copy")->entries[5].second->s, "five");
}

TEST(HostileYamlLoader, SyntaxErrorNamesLineAndColumn) {
  try {
    load_yaml_graph("a: 1\nb: [1, 2\nc: 3\n", {"broken.yaml", nullptr});
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().file, "broken.yaml");
    EXPECT_NE(std::string(e.what()).find("[YAML] syntax error"), std::string::npos) << e.what();
  }
}

TEST(HostileYamlLoader, UnknownAliasIsNamed) {
  try {
    load_yaml_graph("a: *nowhere\n", {"alias.yaml", nullptr});
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().to_string().substr(0, 12), "alias.yaml:1");
    EXPECT_NE(std::string(e.what()).find("the referenced anchor is not defined"), std::string::npos)
        << e.what();
  }
}

TEST(HostileYamlLoader, MergeOfAScalarIsRefused) {
  try {
    load_yaml_graph("a: &a 5\nb:\n  <<: *a\n", {"merge.yaml", nullptr});
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("merge key '<<' expects a mapping"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::config
