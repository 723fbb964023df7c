// Engine API: error locations, cycle detection, compile records, edges, globals, JSON values.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/jinja/environment.h"

namespace fg::config::jinja {
namespace {

std::shared_ptr<DictLoader> loader_with(
    std::initializer_list<std::pair<std::string, TemplateSource>> templates) {
  auto l = std::make_shared<DictLoader>();
  for (const auto& [name, src] : templates) l->add(name, src);
  return l;
}

template <typename Fn>
TemplateError capture_error(Fn fn) {
  try {
    fn();
  } catch (const TemplateError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a TemplateError";
  return TemplateError("none");
}

TEST(JinjaApi, RuntimeErrorNamesFileAndLineWithOffset) {
  auto l = loader_with({{"cfg.yaml", {"a: 1\nb: 2\nc: {{ nope }}\n", "/p/cfg.yaml", 10}}});
  Environment env(l);
  TemplateError e = capture_error([&] { env.render("cfg.yaml", {}); });
  EXPECT_EQ(e.where().file, "/p/cfg.yaml");
  EXPECT_EQ(e.where().line, 12);  // first_line 10 + line 3 - 1
  EXPECT_EQ(e.jinja_message(), "'nope' is undefined");
  EXPECT_NE(std::string(e.what()).find("/p/cfg.yaml:12"), std::string::npos);
  EXPECT_TRUE(dynamic_cast<const fg::ConfigError*>(&e) != nullptr);
}

TEST(JinjaApi, ErrorInParentBlockNamesParentFile) {
  auto l =
      loader_with({{"base", {"x\n{% block b %}\n{{ 1 / 0 }}\n{% endblock %}\n", "base.yaml", 1}},
                   {"child", {"{% extends 'base' %}\n", "child.yaml", 1}}});
  Environment env(l);
  TemplateError e = capture_error([&] { env.render("child", {}); });
  EXPECT_EQ(e.where().file, "base.yaml");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.jinja_message(), "division by zero");
}

TEST(JinjaApi, SyntaxErrorsNameLine) {
  Environment env(std::make_shared<DictLoader>());
  TemplateError e = capture_error([&] { env.render_string("a\nb\n{{ 1 + }}\n", "mem", {}); });
  EXPECT_EQ(e.where().file, "mem");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.jinja_message(), "unexpected 'end of print statement'");
  TemplateError eof = capture_error([&] { env.render_string("{% for x in y %}\n", "m2", {}); });
  EXPECT_NE(eof.jinja_message().find("Unexpected end of template"), std::string::npos);
}

TEST(JinjaApi, CircularExtendsAndIncludeAreReported) {
  auto l = loader_with({{"a", {"{% extends 'b' %}", "", 1}},
                        {"b", {"{% extends 'a' %}", "", 1}},
                        {"i1", {"x{% include 'i2' %}", "", 1}},
                        {"i2", {"y{% include 'i1' %}", "", 1}}});
  Environment env(l);
  TemplateError e = capture_error([&] { env.render("a", {}); });
  EXPECT_NE(e.jinja_message().find("circular extends"), std::string::npos) << e.what();
  EXPECT_NE(e.jinja_message().find("'a' -> 'b' -> 'a'"), std::string::npos) << e.what();
  TemplateError e2 = capture_error([&] { env.render("i1", {}); });
  EXPECT_NE(e2.jinja_message().find("circular include"), std::string::npos) << e2.what();
}

TEST(JinjaApi, TemplateNotFoundListsSearchPath) {
  class PathLoader : public Loader {
   public:
    std::optional<TemplateSource> load(const std::string&) override { return std::nullopt; }
    std::vector<std::string> search_path() const override { return {"/d1", "/d2"}; }
  };
  Environment env(std::make_shared<PathLoader>());
  TemplateError e = capture_error([&] { env.render("a.yaml", {}); });
  EXPECT_EQ(e.jinja_message(),
            "TemplateNotFound: 'a.yaml' not found in search paths: '/d1', '/d2'");
}

TEST(JinjaApi, RecordsCompiledTemplatesAndEdges) {
  auto l = loader_with({{"base", {"{% block b %}{% endblock %}{% include 'inc' %}", "", 1}},
                        {"inc", {"{% import 'mac' as m %}{{ m.f() }}", "", 1}},
                        {"mac", {"{% macro f() %}F{% endmacro %}", "", 1}},
                        {"child", {"{% extends 'base' %}{% block b %}B{% endblock %}", "", 1}}});
  Environment env(l);
  EXPECT_EQ(env.render("child", {}), "BF");
  std::vector<std::string> names;
  for (const auto& r : env.compiled_templates()) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"child", "base", "inc", "mac"}));
  ASSERT_EQ(env.template_edges().size(), 3u);
  EXPECT_EQ(env.template_edges()[0].kind, "extends");
  EXPECT_EQ(env.template_edges()[1].to, "inc");
  EXPECT_EQ(env.template_edges()[2].kind, "import");
  // Rendering again reuses the compiled templates.
  EXPECT_EQ(env.render("child", {}), "BF");
  EXPECT_EQ(env.compiled_templates().size(), 4u);
}

TEST(JinjaApi, GlobalsAndFunctions) {
  Environment env(std::make_shared<DictLoader>());
  env.add_global("project_dir", Value("/proj"));
  env.add_global("twice",
                 Value::function("twice", [](Args& a) { return Value(a.pos.at(0).as_int() * 2); }));
  EXPECT_EQ(env.render_string("{{ project_dir }} {{ twice(21) }}", "t", {}), "/proj 42");
  // Passing an undefined value to a function raises (strict undefined).
  EXPECT_THROW(env.render_string("{{ twice(nope) }}", "t", {}), UndefinedError);
  // Variables shadow globals.
  EXPECT_EQ(env.render_string("{{ project_dir }}", "t", {{"project_dir", Value("/v")}}), "/v");
}

TEST(JinjaApi, JsonRoundTrip) {
  auto j = nlohmann::json::parse(R"({"a": [1, 2.5, "x", null, true], "b": {"c": 1}})");
  Value v = Value::from_json(j);
  EXPECT_EQ(v.str(), "{'a': [1, 2.5, 'x', None, True], 'b': {'c': 1}}");
  EXPECT_EQ(v.to_json(), j);
}

TEST(JinjaApi, SandboxBlocksUnderscoreAttributes) {
  Environment env(std::make_shared<DictLoader>());
  EXPECT_THROW(env.render_string("{{ 'x'.__class__ }}", "t", {}), TemplateError);
  EXPECT_THROW(env.render_string("{{ [].__len__() }}", "t", {}), TemplateError);
  // Dict keys that start with '_' are data, not attributes.
  EXPECT_EQ(env.render_string("{{ {'_k': 1}._k }}", "t", {}), "1");
}

TEST(JinjaApi, NamespaceIsSharedAcrossIncludes) {
  auto l =
      loader_with({{"root", {"{% set ns = namespace(n=1) %}{% include 'inc' %}{{ ns.n }}", "", 1}},
                   {"inc", {"{% set ns.n = ns.n + 1 %}", "", 1}}});
  Environment env(l);
  EXPECT_EQ(env.render("root", {}), "2");
}

TEST(JinjaApi, TrimBlocksCanBeDisabled) {
  EnvironmentOptions opts;
  opts.trim_blocks = false;
  opts.keep_trailing_newline = true;
  Environment env(std::make_shared<DictLoader>(), opts);
  EXPECT_EQ(env.render_string("{% if true %}\nx\n{% endif %}\n", "t", {}), "\nx\n\n");
}

TEST(JinjaApi, RunawayRecursionIsAnError) {
  Environment env(std::make_shared<DictLoader>());
  TemplateError e = capture_error([&] {
    env.render_string("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "t", {});
  });
  EXPECT_NE(e.jinja_message().find("maximum recursion depth exceeded"), std::string::npos);
}

TEST(JinjaApi, NowIsADatetime) {
  Environment env(std::make_shared<DictLoader>());
  std::string out =
      env.render_string("{{ now() }}|{{ utcnow().year > 2000 }}|{{ isotime() }}", "t", {});
  // "YYYY-MM-DD HH:MM:SS.ffffff|True|YYYY-MM-DDTHH:MM:SS"
  ASSERT_EQ(out.size(), 26u + 6u + 19u) << out;
  EXPECT_EQ(out.substr(26, 6), "|True|");
  EXPECT_EQ(out[19], '.');
  EXPECT_EQ(out[32 + 10], 'T');
}

TEST(JinjaApi, LenientUndefinedIsRejected) {
  EnvironmentOptions opts;
  opts.strict_undefined = false;
  EXPECT_THROW(Environment(std::make_shared<DictLoader>(), opts), TemplateError);
}

TEST(JinjaApi, LstripBlocksMatchesJinja2) {
  EnvironmentOptions opts;
  opts.lstrip_blocks = true;
  Environment env(std::make_shared<DictLoader>(), opts);
  // Expected output produced by python3-jinja2 3.1 with trim_blocks and lstrip_blocks.
  EXPECT_EQ(
      env.render_string(
          "  {% if true %}\n  x\n    {% endif %}\nend {% if true %}y{% endif %}\n  {# c #}\nz", "t",
          {}),
      "  x\nend yz");
}

}  // namespace
}  // namespace fg::config::jinja
