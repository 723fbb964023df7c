// The preprocessor and the template engine: the input is a config template, rendered with the
// Forgather globals. Two fixed templates give `extends`, `include` and `import` something to find.
#include "config/environment_setup.h"
#include "config/template_loader.h"
#include "core/error.h"
#include "entries/fuzz_entry.h"
#include "entries/input_text.h"

namespace fg::fuzz {
namespace {

constexpr const char* kBase = R"(-- block body
x: 1
-- endblock
## a comment
[footer]
y: {{ 2 + 2 }}
)";

constexpr const char* kMacros = R"(-- macro twice(v)
{{ v }}{{ v }}
-- endmacro
)";

}  // namespace

void run_jinja(FuzzInput data) {
  try {
    auto loader = std::make_shared<config::TemplateLoader>(std::vector<std::string>{});
    loader->add_template("base.yaml", kBase);
    loader->add_template("macros.yaml", kMacros);
    loader->add_template("main.yaml", std::string(as_text(data)));
    auto env = config::make_environment(loader, "/nonexistent/fuzz-project", "/nonexistent");
    env->render("main.yaml", {});
  } catch (const Error&) {
  }
}

}  // namespace fg::fuzz
