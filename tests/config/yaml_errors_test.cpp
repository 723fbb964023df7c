// Bad YAML and materialisation inputs: each asserts the message names what was expected, what
// was found, the key path and the line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "config/graph_override.h"
#include "config/materializer.h"
#include "config/yaml_loader.h"

namespace fg::config {
namespace {

struct BadInput {
  const char* name;
  const char* yaml;
  const char* target;                 // materialise this target; nullptr = loading must fail
  std::vector<const char*> expected;  // substrings of the message
};

struct Thing {};

Registry make_registry() {
  Registry r;
  register_core_builtins(r);
  r.add("test:Thing", {".thing:Thing"}, "a test component", [](CallArgs& a) {
    a.get_int("size", 0, 1);
    a.get_double("rate", -1, 0.1);
    a.get_string("mode", -1, "x");
    a.finish();
    return Object::component(std::make_shared<Thing>(), "Thing");
  });
  r.add("test:needs_thing", {}, "takes a Thing", [](CallArgs& a) {
    a.required("thing", 0).as<Thing>("Thing");
    a.finish();
    return Object::none();
  });
  return r;
}

const std::vector<BadInput>& cases() {
  static const std::vector<BadInput> c = {
      {"unknown_tag",
       "a: !singelton:test:Thing []\n",
       nullptr,
       {"could not determine a constructor for the tag '!singelton:test:Thing'", "t.yaml:1",
        "'a'"}},
      {"bare_singleton",
       "a:\n  b: !singleton []\n",
       nullptr,
       {"needs a constructor", "found none", "t.yaml:2", "a.b"}},
      {"var_sequence", "a: !var [x]\n", nullptr, {"Var nodes may not be sequences", "t.yaml:1"}},
      {"var_bad_key", "a: !var {nam: x}\n", nullptr, {"found key 'nam'", "did you mean 'name'"}},
      {"dict_not_mapping",
       "x: 1\nd: !dict [1, 2]\n",
       nullptr,
       {"!dict expects a mapping or nothing, found a sequence", "t.yaml:2", "'d'"}},
      {"list_not_sequence",
       "l: !list {a: 1}\n",
       nullptr,
       {"!list expects a sequence or nothing, found a mapping", "'l'"}},
      {"dlist_not_mapping", "l: !dlist [1]\n", nullptr, {"!dlist expects a mapping"}},
      {"scalar_args",
       "a: !singleton:test:Thing hello\n",
       nullptr,
       {"must be a sequence or a mapping, found scalar 'hello'"}},
      {"args_not_list",
       "a: !singleton:test:Thing {args: 3}\n",
       nullptr,
       {"'args' must be a sequence, found int 3", "a.args"}},
      {"kwargs_not_map",
       "a: !singleton:test:Thing {kwargs: [1]}\n",
       nullptr,
       {"'kwargs' must be a mapping, found sequence"}},
      {"syntax_error", "a: [1, 2\nb: 3\n", nullptr, {"syntax error", "t.yaml:"}},
      {"bad_indent", "a:\n  b: 1\n c: 2\n", nullptr, {"syntax error"}},
      {"duplicate_name",
       "a: !singleton:test:Thing@t []\nb: !singleton:test:Thing@t []\n",
       nullptr,
       {"DuplicateNameError", "'t'", "first at t.yaml:1", "t.yaml:2"}},
      {"merge_not_mapping", "a:\n  <<: 3\n", nullptr, {"merge key '<<' expects a mapping"}},
      {"unknown_alias", "a: *nope\n", nullptr, {"syntax error"}},
      {"bad_std_tag", "a: !!int abc\n", nullptr, {"!!int", "'abc'"}},
      {"complex_key", "? [1, 2]\n: 3\n", nullptr, {"mapping keys must be scalars"}},
      {"unknown_constructor",
       "a: !singleton:torch.nn:Linera [1, 2]\n",
       "a",
       {"unknown constructor 'torch.nn:Linera'", "t.yaml:1", "'a'"}},
      {"unknown_kwarg",
       "a: !singleton:test:Thing {size: 2, rat: 0.5}\n",
       "a",
       {"unknown keyword argument 'rat'", "did you mean 'rate'", "test:Thing"}},
      {"wrong_type",
       "a:\n  b: !singleton:test:Thing {size: big}\n",
       "a",
       {"expected int, found string 'big'", "a.b.size", "t.yaml:2"}},
      {"wrong_type_float",
       "a: !singleton:test:Thing {rate: fast}\n",
       "a",
       {"expected float, found string 'fast'", "a.rate"}},
      {"too_many_positional",
       "a: !singleton:test:Thing [1, 2, 3]\n",
       "a",
       {"takes 1 positional argument(s), found 3"}},
      {"duplicate_arg",
       "a: !singleton:test:Thing {arg0: 1, size: 2}\n",
       "a",
       {"multiple values for argument 'size'"}},
      {"unbound_var",
       "a: !singleton:test:Thing {size: !var hidden_size}\n",
       "a",
       {"UnboundVarError", "'hidden_size'", "a.size"}},
      {"missing_required",
       "a: !singleton:test:needs_thing []\n",
       "a",
       {"missing required argument 'thing'"}},
      {"wrong_component",
       "a: !singleton:test:needs_thing [3]\n",
       "a",
       {"expected Thing, found int"}},
      {"unknown_target",
       "a: 1\nmain: 2\n",
       "mian",
       {"unknown target 'mian'", "did you mean", "'main'"}},
      {"getitem_missing_key",
       "d: &d {a: 1}\nx: !singleton:getitem [*d, b]\n",
       "x",
       {"key 'b' not found", "keys: a"}},
      {"latent_not_map",
       "a: !singleton:test:Thing {latent_args: [1]}\n",
       "a",
       {"latent_args", "must be a mapping, found list"}},
      {"call_not_callable", "a: !singleton:call [3]\n", "a", {"expected callable, found int"}},
      {"len_of_int", "a: !singleton:len [3]\n", "a", {"expected a string, list, dict"}},
  };
  return c;
}

class YamlErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(YamlErrors, MessageNamesTheProblem) {
  const BadInput& c = GetParam();
  Registry registry = make_registry();
  std::string message;
  try {
    Graph g = load_yaml_graph(c.yaml, {"t.yaml", nullptr});
    ASSERT_NE(c.target, nullptr) << "loading should have failed";
    Materializer m(registry, g);
    m.target(c.target);
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    message = e.what();
    if (std::getenv("FG_PRINT_ERRORS")) std::cerr << message << "\n---\n";
  }
  for (const char* s : c.expected)
    EXPECT_NE(message.find(s), std::string::npos) << "missing '" << s << "' in: " << message;
}

INSTANTIATE_TEST_SUITE_P(All, YamlErrors, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(OverrideErrors, UnknownKeySuggests) {
  Graph g =
      load_yaml_graph("trainer_args: !singleton:x:Y {learning_rate: 1}\n", {"t.yaml", nullptr});
  try {
    apply_override(g, "trainer_args.learning_rat", "3e-4");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'learning_rate'"), std::string::npos);
  }
  apply_override(g, "trainer_args.learning_rate", "3e-4");
  EXPECT_DOUBLE_EQ(g.target("trainer_args")->kwargs[0].second->f, 3e-4);
}

}  // namespace
}  // namespace fg::config
