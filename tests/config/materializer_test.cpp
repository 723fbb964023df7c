#include "config/materializer.h"

#include <gtest/gtest.h>

#include "config/yaml_loader.h"

namespace fg::config {
namespace {

struct Counter {
  int64_t id;
};

// A registry with builtins plus a test component that counts constructions.
struct Fixture {
  Registry registry;
  std::shared_ptr<int64_t> made = std::make_shared<int64_t>(0);
  Fixture() {
    register_core_builtins(registry);
    registry.add(
        "test:Counter", {".counter:Counter"}, "counts constructions", [made = made](CallArgs& a) {
          a.finish();
          return Object::component(std::make_shared<Counter>(Counter{(*made)++}), "Counter");
        });
    registry.add("test:sum", {}, "adds ints", [](CallArgs& a) {
      int64_t s = 0;
      for (auto& o : a.rest_positional(0)) s += o.as_int();
      s += a.get_int("bias", -1, 0);
      a.finish();
      return Object::integer(s);
    });
  }
  Materializer load(const std::string& yaml) {
    return Materializer(registry, load_yaml_graph(yaml));
  }
};

TEST(Materializer, SingletonSharedFactoryNew) {
  Fixture f;
  auto m = f.load(
      "s: &s !singleton:test:Counter []\nt: *s\nfa: &fa !factory:test:Counter []\nfb: *fa\n");
  auto s = m.target("s"), t = m.target("t");
  EXPECT_TRUE(s.same_as(t));
  EXPECT_TRUE(s.same_as(m.target("s")));  // cached for the graph's lifetime
  auto a = m.target("fa"), b = m.target("fb");
  EXPECT_FALSE(a.same_as(b));
  EXPECT_EQ(*f.made, 3);
}

TEST(Materializer, PartialAppendsArgsAndOverridesKwargs) {
  Fixture f;
  auto m = f.load("p: !partial:test:sum {arg0: 10, bias: 1}\n");
  Object p = m.target("p");
  ASSERT_EQ(p.type(), Object::Type::kCallable);
  CallArgs call({Object::integer(3)}, {{"bias", Object::integer(100)}});
  EXPECT_EQ(p.call(call).as_int(), 113);
}

TEST(Materializer, VarsAndDefaults) {
  Fixture f;
  auto m = f.load("a: !var x\nb: !var {name: y, default: 7}\nc: !call:test:sum [!var x, 1]\n");
  Context vars{{"x", Object::integer(5)}};
  EXPECT_EQ(m.target("a", vars).as_int(), 5);
  EXPECT_EQ(m.target("b", vars).as_int(), 7);
  EXPECT_EQ(m.target("c", vars).as_int(), 6);
}

TEST(Materializer, LatentArgsMergedLast) {
  Fixture f;
  auto m = f.load("a: !call:test:sum {arg0: 1, bias: 2, latent_args: {bias: 40}}\n");
  EXPECT_EQ(m.target("a").as_int(), 41);
}

TEST(Materializer, ContainersAndBuiltins) {
  Fixture f;
  auto m = f.load(
      "d: &d !dict:@d {a: 1, b: [2, 3]}\nn: !call:len [*d]\ng: !call:getitem [*d, b]\n"
      "t: !tuple [1, 2]\nk: !call:keys [*d]\nj: !call:os.path:join [/a, b, c.txt]\n"
      "c: !call:call [!partial:test:sum [1], 2]\n");
  EXPECT_EQ(m.target("n").as_int(), 2);
  EXPECT_EQ(m.target("g").as_list().size(), 2u);
  EXPECT_TRUE(m.target("t").is_tuple());
  EXPECT_EQ(m.target("k").as_list()[1].as_string(), "b");
  EXPECT_EQ(m.target("j").as_string(), "/a/b/c.txt");
  EXPECT_EQ(m.target("c").as_int(), 3);
  EXPECT_TRUE(m.target("d").same_as(m.target("d")));
}

TEST(Materializer, RelativeAndPathConstructorNames) {
  Fixture f;
  auto m = f.load("a: !singleton:.counter:Counter []\nb: !singleton:/x/y/counter.py:Counter []\n");
  EXPECT_EQ(m.target("a").type_name(), "Counter");
  EXPECT_EQ(m.target("b").as<Counter>("Counter")->id, 1);
}

}  // namespace
}  // namespace fg::config
