#include "config/project.h"

#include <gtest/gtest.h>

#include "temp_workspace.h"

namespace fg::config {
namespace {

using testing::TempWorkspace;

TEST(Project, TemplateVarsAndPpConfig) {
  TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/a.yaml",
           "steps: {{ max_steps | default(-1) }}\ntext: !var pp_config\n");
  ProjectOptions opts;
  opts.config_name = "a.yaml";
  opts.template_vars.set("max_steps", jinja::Value(int64_t{5}));
  Project p(dir, opts);
  Registry r;
  register_builtins(r);
  EXPECT_EQ(materialize_targets(p, r, {"steps"}).as_int(), 5);
  EXPECT_EQ(materialize_targets(p, r, {"text"}).as_string(), p.rendered().text);
}

TEST(Project, FromProjectLoadsAnotherProjectsTargets) {
  TempWorkspace ws;
  const std::string a = ws.project("a");
  ws.project("b");
  ws.write("b/templates/configs/c.yaml",
           "thing: !dict {size: {{ size | default(1) }}, name: !var {name: who, default: anon}}\n"
           "main: 7\n");
  ws.write(
      "a/templates/configs/x.yaml",
      "imported: !singleton:forgather:from_project\n"
      "    project_dir: \"{{ workspace_root }}/b\"\n"
      "    config_template: c.yaml\n"
      "    targets: thing\n"
      "    pp_kwargs: {size: 4}\n"
      "    who: me\n"
      "legacy: !singleton:forgather.ml.construct:load_from_config [\"{{ workspace_root }}/b\", "
      "c.yaml]\n");
  ProjectOptions opts;
  opts.config_name = "x.yaml";
  Project p(a, opts);
  Registry r;
  register_builtins(r);
  Object thing = materialize_targets(p, r, {"imported"});
  EXPECT_EQ(thing.find("size")->as_int(), 4);
  EXPECT_EQ(thing.find("name")->as_string(), "me");
  EXPECT_EQ(materialize_targets(p, r, {"legacy"}).as_int(), 7);  // default target: main
}

TEST(Project, SetValueOverridesAllAliases) {
  TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/a.yaml", "args: &args {lr: 1.0e-3}\nuser: *args\n");
  ProjectOptions opts;
  opts.config_name = "a.yaml";
  Project p(dir, opts);
  p.set_value("args.lr", "3e-4");
  Registry r;
  register_builtins(r);
  EXPECT_DOUBLE_EQ(materialize_targets(p, r, {"user"}).find("lr")->as_double(), 3e-4);
}

TEST(Project, SubTemplatesScopedPerRender) {
  TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/a.yaml",
           "-- include 'shared.part'\n\n#---- shared.part ----\nv: a\n");
  ws.write("proj/templates/configs/b.yaml",
           "-- include 'shared.part'\n\n#---- shared.part ----\nv: b\n");
  for (const char* name : {"a.yaml", "b.yaml"}) {
    ProjectOptions opts;
    opts.config_name = name;
    Project p(dir, opts);
    EXPECT_EQ(p.graph().target("v")->s, std::string(1, name[0]));
  }
}

}  // namespace
}  // namespace fg::config
