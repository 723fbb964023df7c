// The example project's five configs (alibi_glu_project), as preprocessed by the config layer,
// rendered by the C++ engine and compared byte for byte with python3-jinja2's output
// (fixture written by tools/make_jinja_oracle.py --example-dump).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/jinja/environment.h"

namespace fg::config::jinja {
namespace {

nlohmann::json load_fixture() {
  std::ifstream f(std::filesystem::path(FG_SOURCE_DIR) /
                  "tests/config/jinja_corpus/example_configs.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return nlohmann::json::parse(ss.str());
}

Value constant_fn(const std::string& name, const std::string& v) {
  return Value::function(name, [v](Args&) { return Value(v); });
}

TEST(JinjaExampleConfigs, RenderLikePythonJinja2) {
  const nlohmann::json fx = load_fixture();
  const nlohmann::json& g = fx["globals"];
  ASSERT_EQ(fx["configs"].size(), 5u);
  for (const auto& c : fx["configs"]) {
    SCOPED_TRACE(c["config"].get<std::string>());
    auto loader = std::make_shared<DictLoader>();
    for (auto it = fx["templates"].begin(); it != fx["templates"].end(); ++it)
      loader->add(it.key(), TemplateSource{it.value().get<std::string>(), it.key(), 1});
    Environment env(loader);
    for (const char* t : {"isotime", "utcisotime", "filetime", "utcfiletime"})
      env.add_global(t, constant_fn(t, g[t].get<std::string>()));
    env.add_global("forgather_dir", constant_fn("forgather_dir", g["forgather_dir"]));
    env.add_global("hostname", Value(g["hostname"].get<std::string>()));
    env.add_global("versions", Value::from_json(g["versions"]));
    env.add_global("project_dir", Value(c["project_dir"].get<std::string>()));
    env.add_global("workspace_root", Value(c["workspace_root"].get<std::string>()));
    auto t0 = std::chrono::steady_clock::now();
    std::string got = env.render(c["template_name"].get<std::string>(), {});
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 50.0) << "parse + render of a whole config (spec budget: 50 ms)";
    EXPECT_EQ(got, c["expected"].get<std::string>());
    EXPECT_GE(env.compiled_templates().size(), 20u);
  }
}

}  // namespace
}  // namespace fg::config::jinja
