// Capability classes: a registry restricted to pure constructors refuses every other class, and
// builds nothing for a refused node.
#include "config/registry.h"

#include <gtest/gtest.h>

#include "config/materializer.h"
#include "config/yaml_loader.h"

namespace fg::config {
namespace {

struct Fixture {
  Registry full;
  std::shared_ptr<int64_t> made = std::make_shared<int64_t>(0);
  Fixture() {
    register_core_builtins(full);
    full.add(
        "test:Pure", {}, "counts constructions",
        [made = made](CallArgs& a) {
          a.finish();
          return Object::integer((*made)++);
        },
        Capability::kPure);
    full.add("test:Unstated", {}, "states no capability",
             [made = made](CallArgs&) { return Object::integer((*made)++); });
    full.add(
        "test:Writes", {}, "pretends to write a file",
        [made = made](CallArgs&) { return Object::integer((*made)++); }, Capability::kFileSystem);
  }
  // The message of building `target` of `yaml` with only pure constructors.
  std::string refusal_of(const std::string& yaml, const std::string& target = "x") {
    const Registry pure = full.restricted_to(Capability::kPure, "in this test,");
    YamlLoadOptions o;
    o.source_name = "hostile.yaml";
    Materializer m(pure, load_yaml_graph(yaml, o));
    try {
      m.target(target);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
};

TEST(Registry, RestrictedRegistryBuildsPureEntries) {
  Fixture f;
  const Registry pure = f.full.restricted_to(Capability::kPure, "here");
  Materializer m(pure, load_yaml_graph("x: !singleton:named_list [!singleton:test:Pure []]\n"));
  EXPECT_EQ(m.target("x").as_list().size(), 1u);
  EXPECT_EQ(*f.made, 1);
}

TEST(HostileRegistry, UnstatedCapabilityIsRefused) {
  Fixture f;
  const std::string msg = f.refusal_of("x: !singleton:test:Unstated []\n");
  EXPECT_NE(msg.find("hostile.yaml:1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at 'x'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("refused constructor 'test:Unstated' (class: unclassified"), std::string::npos)
      << msg;
  EXPECT_EQ(*f.made, 0);
}

TEST(HostileRegistry, FileSystemEntryIsRefused) {
  Fixture f;
  const std::string msg = f.refusal_of("x: !singleton:test:Writes []\n");
  EXPECT_NE(msg.find("'test:Writes' (class: side effects (file system))"), std::string::npos)
      << msg;
  EXPECT_EQ(*f.made, 0);
}

TEST(HostileRegistry, RefusedNodeBuildsNoneOfItsArguments) {
  Fixture f;
  const std::string msg = f.refusal_of(
      "x: !singleton:test:Writes [!singleton:test:Pure [], !singleton:test:Pure []]\n");
  EXPECT_NE(msg.find("refused constructor 'test:Writes'"), std::string::npos) << msg;
  EXPECT_EQ(*f.made, 0) << "a refused node's arguments were built";
}

TEST(HostileRegistry, MetaBuilderIsRefused) {
  Fixture f;
  const std::string msg = f.refusal_of(
      "x: !singleton:forgather.ml.construct:construct_model {factory: !singleton:test:Pure [], "
      "config: {}}\n");
  EXPECT_NE(msg.find("(class: a !meta builder"), std::string::npos) << msg;
  EXPECT_EQ(*f.made, 0);
}

TEST(HostileRegistry, RefusedInsideAPartialWhenCalled) {
  Fixture f;
  const std::string msg = f.refusal_of("p: &p !partial:test:Writes []\nx: !singleton:call [*p]\n");
  EXPECT_NE(msg.find("refused constructor 'test:Writes'"), std::string::npos) << msg;
  EXPECT_EQ(*f.made, 0);
}

TEST(HostileRegistry, OsPathBuiltinsAreFileSystem) {
  Fixture f;
  for (const char* name :
       {"os.path:join", "os.path:abspath", "os.path:basename", "os.path:dirname", "joinpath"}) {
    const std::string msg = f.refusal_of(std::string("x: !singleton:") + name + " [a]\n");
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
    EXPECT_NE(msg.find("(class: side effects (file system))"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace fg::config
