#include <gtest/gtest.h>

#include "config/jinja/environment.h"

namespace fg::config::jinja {
namespace {

std::string render(const std::string& text, const ValueMap& vars = {}) {
  Environment env(std::make_shared<DictLoader>());
  return env.render_string(text, "t", vars);
}

TEST(JinjaSmoke, PrintsExpressions) {
  EXPECT_EQ(render("{{ 1 + 2 }}"), "3");
  EXPECT_EQ(render("{{ 'a' ~ 1 }}|{{ [1, 'x'] }}|{{ {'k': None} }}"), "a1|[1, 'x']|{'k': None}");
  EXPECT_EQ(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 1 / 4 }}"),
            "3 -4 -2 1024 0.25");
  EXPECT_EQ(render("{{ 0.1 }} {{ 1e-5 }} {{ 3.0 }} {{ 1e16 }}"), "0.1 1e-05 3.0 1e+16");
}

TEST(JinjaSmoke, ControlFlow) {
  EXPECT_EQ(render("{% for x in [1,2,3] %}{{ loop.index }}{{ x }}{% endfor %}"), "112233");
  EXPECT_EQ(render("{% if a %}A{% elif b %}B{% else %}C{% endif %}",
                   {{"a", Value(false)}, {"b", Value(true)}}),
            "B");
  EXPECT_EQ(render("{% set ns = namespace(x=1) %}{% for i in range(3) %}{% set ns.x = ns.x + i "
                   "%}{% endfor %}{{ ns.x }}"),
            "4");
}

TEST(JinjaSmoke, StrictUndefined) {
  EXPECT_THROW(render("{{ x }}"), UndefinedError);
  EXPECT_EQ(render("{{ x | default('d') }}{{ x is defined }}"), "dFalse");
}

TEST(JinjaSmoke, Inheritance) {
  auto loader = std::make_shared<DictLoader>();
  loader->add("base", {"A{% block b %}base{% endblock %}Z\n", "", 1});
  loader->add("child", {"{% extends 'base' %}{% block b %}[{{ super() }}]{% endblock %}", "", 1});
  Environment env(loader);
  EXPECT_EQ(env.render("child", {}), "A[base]Z");
}

}  // namespace
}  // namespace fg::config::jinja
