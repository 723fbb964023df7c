#include "config/environment_setup.h"

#include <sys/utsname.h>

#include "config/workspace.h"

namespace fg::config {

std::unique_ptr<jinja::Environment> make_environment(std::shared_ptr<jinja::Loader> loader,
                                                     const std::string& project_dir,
                                                     const std::string& workspace_root) {
  auto env = std::make_unique<jinja::Environment>(std::move(loader));
  jinja::register_globals(*env);
  env->add_global("project_dir", jinja::Value(project_dir));
  env->add_global("workspace_root", jinja::Value(workspace_root));
  env->add_global("forgather_dir", jinja::Value::function("forgather_dir", [](jinja::Args&) {
                    return jinja::Value(forgather_dir());
                  }));
  utsname u{};
  uname(&u);
  env->add_global("hostname", jinja::Value(std::string(u.nodename)));
  env->add_global("uname",
                  jinja::Value::tuple(
                      {jinja::Value(std::string(u.sysname)), jinja::Value(std::string(u.nodename)),
                       jinja::Value(std::string(u.release)), jinja::Value(std::string(u.version)),
                       jinja::Value(std::string(u.machine))}));
  jinja::ValueMap versions;
  versions.set("forgather", jinja::Value(std::string("cpp-0.1.0")));
  versions.set("compiler", jinja::Value(std::string(__VERSION__)));
  env->add_global("versions", jinja::Value::dict(std::move(versions)));
  return env;
}

}  // namespace fg::config
