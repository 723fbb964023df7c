// Bad templates and projects: each case asserts that the message names the original template
// file and line (or the search path / directory), and what was expected and found.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "config/project.h"
#include "temp_workspace.h"

namespace fg::config {
namespace {

using testing::TempWorkspace;

struct BadTemplate {
  const char* name;
  std::vector<std::pair<const char*, const char*>> files;  // relative to <project>/templates
  const char* target;                                      // nullptr: render + parse only
  std::vector<const char*> expected;                       // substrings of the message
};

const std::vector<BadTemplate>& cases() {
  static const std::vector<BadTemplate> c = {
      {"undefined_variable",
       {{"configs/a.yaml", "x: 1\ny: {{ nope }}\n"}},
       nullptr,
       {"configs/a.yaml:2", "'nope' is undefined"}},
      {"missing_extends",
       {{"configs/a.yaml", "-- extends 'base/missing.yaml'\n"}},
       nullptr,
       {"configs/a.yaml:1", "'base/missing.yaml' not found", "templates"}},
      {"missing_include",
       {{"configs/a.yaml", "a: 1\n\n-- include 'inc/nothere.yaml'\n"}},
       nullptr,
       {"configs/a.yaml:3", "'inc/nothere.yaml' not found", "forgather_workspace"}},
      {"circular_extends",
       {{"configs/a.yaml", "-- extends 'b.yaml'\n"},
        {"b.yaml", "-- extends 'c.yaml'\n"},
        {"c.yaml", "-- extends 'b.yaml'\n"}},
       nullptr,
       {"b.yaml", "c.yaml", "ircular"}},
      {"circular_include",
       {{"configs/a.yaml", "-- include 'i.yaml'\n"}, {"i.yaml", "x: 1\n-- include 'i.yaml'\n"}},
       nullptr,
       {"i.yaml", "ircular"}},
      {"required_block",
       {{"configs/a.yaml", "-- extends 'base.yaml'\n"},
        {"base.yaml", "a: 1\n-- block body required\n-- endblock body\n"}},
       nullptr,
       {"Required block 'body' not found"}},
      {"unclosed_block",
       {{"configs/a.yaml", "a: 1\n-- block x\nb: 2\n"}},
       nullptr,
       {"configs/a.yaml", "end of template"}},
      {"unknown_statement",
       {{"configs/a.yaml", "a: 1\n-- frobnicate x\n"}},
       nullptr,
       {"configs/a.yaml:2", "frobnicate"}},
      {"namespace_before_created",
       {{"configs/a.yaml", "-- extends 'base.yaml'\n-- set ns.x = 1\n"},
        {"base.yaml", "-- set ns = namespace()\na: 1\n"}},
       nullptr,
       {"configs/a.yaml:2"}},
      {"undefined_attribute",
       {{"configs/a.yaml", "-- set ns = namespace()\n\na: {{ ns.missing }}\n"}},
       nullptr,
       {"configs/a.yaml:3", "missing"}},
      {"unknown_filter",
       {{"configs/a.yaml", "a: {{ 3 | frobnicate }}\n"}},
       nullptr,
       {"configs/a.yaml:1", "frobnicate"}},
      {"yaml_error_mapped",
       {{"configs/a.yaml", "-- extends 'base.yaml'\n"}, {"base.yaml", "a: 1\nb: [1, 2\nc: 3\n"}},
       nullptr,
       {"base.yaml:", "syntax error", "rendered line"}},
      {"unknown_tag_mapped",
       {{"configs/a.yaml", "-- extends 'base.yaml'\n"},
        {"base.yaml", "## a comment\na: 1\nmodel: !singletn:torch.nn:Linear [1, 2]\n"}},
       nullptr,
       {"base.yaml:3", "could not determine a constructor for the tag '!singletn:torch.nn:Linear'",
        "'model'"}},
      {"unknown_constructor_mapped",
       {{"configs/a.yaml", "a: 1\n\nmodel: !singleton:torch.nn:Lineer [1, 2]\n"}},
       "model",
       {"configs/a.yaml:3", "unknown constructor 'torch.nn:Lineer'", "'model'"}},
      {"wrong_arg_type_mapped",
       {{"configs/a.yaml", "-- set n = 'x'\nitems:\n  count: !singleton:len [{{ 3 }}]\n"}},
       "items",
       {"configs/a.yaml:3", "items.count", "found int"}},
      {"unbound_var_mapped",
       {{"configs/a.yaml", "a: 1\nb: !singleton:named_list [!var hidden_size]\n"}},
       "b",
       {"configs/a.yaml:2", "UnboundVarError", "'hidden_size'"}},
      {"split_document_line",
       {{"configs/a.yaml",
         "-- include 'a.sub'\n\n#------ a.sub ------\nx: 1\ny: {{ undefined_thing }}\n"}},
       nullptr,
       {"configs/a.yaml:5", "'undefined_thing' is undefined"}},
      {"macro_arg_error",
       {{"configs/a.yaml", "-- macro m(x)\n{{ x.nope }}\n-- endmacro\nv: {{ m(3) }}\n"}},
       nullptr,
       {"configs/a.yaml:2", "nope"}},
  };
  return c;
}

class TemplateErrors : public ::testing::TestWithParam<BadTemplate> {};

TEST_P(TemplateErrors, MessageNamesOriginalFileAndLine) {
  const BadTemplate& c = GetParam();
  TempWorkspace ws;
  const std::string dir = ws.project();
  for (const auto& [rel, text] : c.files) ws.write(std::string("proj/templates/") + rel, text);
  Registry registry;
  register_builtins(registry);
  std::string message;
  try {
    ProjectOptions opts;
    opts.config_name = "a.yaml";
    Project project(dir, opts);
    project.graph();
    ASSERT_NE(c.target, nullptr) << "render/parse should have failed";
    materialize_targets(project, registry, {c.target});
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    message = e.what();
  }
  if (std::getenv("FG_PRINT_ERRORS")) std::cerr << message << "\n---\n";
  for (const char* s : c.expected)
    EXPECT_NE(message.find(s), std::string::npos) << "missing '" << s << "' in: " << message;
}

INSTANTIATE_TEST_SUITE_P(All, TemplateErrors, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ProjectErrors, NoProjectFound) {
  TempWorkspace ws;
  ws.write("empty/x.txt", "");
  try {
    Project p(ws.path("empty"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("expected a meta.yaml"), std::string::npos) << e.what();
  }
}

TEST(ProjectErrors, NoWorkspaceFound) {
  const auto dir = std::filesystem::temp_directory_path() / "fg_no_ws_project";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "meta.yaml") << "name: x\n";
  try {
    Project p(dir.string());
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'forgather_workspace'"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(ProjectErrors, ConfigNotFoundSuggests) {
  TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/baseline.yaml", "a: 1\n");
  try {
    ProjectOptions opts;
    opts.config_name = "baseline.yml";
    Project p(dir, opts);
    FAIL();
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("config 'baseline.yml' not found"), std::string::npos) << m;
    EXPECT_NE(m.find("did you mean 'baseline.yaml'"), std::string::npos) << m;
    EXPECT_NE(m.find("templates"), std::string::npos) << m;
  }
}

TEST(ProjectErrors, MetaYamlErrorNamesMeta) {
  TempWorkspace ws;
  ws.write("proj/meta.yaml", "name: {{ undefined_in_meta }}\n");
  try {
    Project p(ws.path("proj"));
    FAIL();
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("meta.yaml:1"), std::string::npos) << m;
    EXPECT_NE(m.find("'undefined_in_meta' is undefined"), std::string::npos) << m;
  }
}

// A search directory that does not exist (a wrong $FORGATHER_DIR, say) is named when a template
// is not found, rather than silently missing from the list.
TEST(ProjectErrors, TemplateNotFoundNamesMissingSearchDirectories) {
  TempWorkspace ws;
  ws.write(
      "proj/meta.yaml",
      "searchdir:\n  - \"{{ project_dir }}/templates\"\n  - \"/nonexistent/templatelib/base\"\n"
      "name: Test\n");
  ws.write("proj/templates/configs/a.yaml", "-- extends 'trainers/trainer.yaml'\n");
  try {
    ProjectOptions opts;
    opts.config_name = "a.yaml";
    Project p(ws.path("proj"), opts);
    FAIL();
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'trainers/trainer.yaml' not found"), std::string::npos) << m;
    EXPECT_NE(m.find("skipped because they do not exist: '/nonexistent/templatelib/base'"),
              std::string::npos)
        << m;
  }
}

}  // namespace
}  // namespace fg::config
