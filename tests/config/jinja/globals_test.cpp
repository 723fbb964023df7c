// Globals of spec §3.7 that the oracle corpus leaves out (machine- or time-dependent).
#include <gtest/gtest.h>

#include <cstdlib>

#include "config/jinja/environment.h"

namespace fg::config::jinja {
namespace {

std::string render(const std::string& text) {
  Environment env(std::make_shared<DictLoader>());
  return env.render_string(text, "t", {});
}

std::string env_or(const char* var, const std::string& fallback) {
  const char* v = std::getenv(var);
  return v && *v ? std::string(v) : fallback;
}

TEST(JinjaGlobals, HomeAndPlatformDirs) {
  const std::string home = env_or("HOME", "/");
  EXPECT_EQ(render("{{ user_home_dir() }}"), home);
  const std::string config = env_or("XDG_CONFIG_HOME", home + "/.config");
  EXPECT_EQ(render("{{ forgather_config_dir() }}"), config + "/forgather");
  EXPECT_EQ(render("{{ user_config_dir() }}"), config);
  EXPECT_EQ(render("{{ user_config_dir('app', 'me', '1.0') }}"), config + "/app/1.0");
  EXPECT_EQ(render("{{ user_cache_dir(appname='app') }}"),
            env_or("XDG_CACHE_HOME", home + "/.cache") + "/app");
  EXPECT_EQ(render("{{ user_data_dir('app') }}"),
            env_or("XDG_DATA_HOME", home + "/.local/share") + "/app");
  EXPECT_FALSE(render("{{ site_data_dir() }}").empty());
  EXPECT_FALSE(render("{{ site_config_dir('x') }}").empty());
}

TEST(JinjaGlobals, TimeFormats) {
  std::string iso = render("{{ isotime() }}|{{ utcisotime() }}");
  ASSERT_EQ(iso.size(), 39u);
  EXPECT_EQ(iso[10], 'T');
  EXPECT_EQ(iso[13], ':');
  std::string ft = render("{{ filetime() }}|{{ utcfiletime() }}");
  ASSERT_EQ(ft.size(), 39u);
  EXPECT_EQ(ft.find(':'), std::string::npos);
  EXPECT_EQ(ft[13], '-');
  EXPECT_EQ(render("{{ now().strftime('%Y') == now().year | string }}"), "True");
}

// The ranks of a data-parallel run render with rank 0's time (src/cli/main.cpp pins it).
TEST(JinjaGlobals, RenderTimePinnedByEnvironment) {
  setenv("FORGATHER_RENDER_TIME", "1700000000", 1);
  const std::string pinned = render("{{ utcisotime() }}|{{ utcnow().year }}");
  unsetenv("FORGATHER_RENDER_TIME");
  EXPECT_EQ(pinned, "2023-11-14T22:13:20|2023");
}

TEST(JinjaGlobals, HostileRenderTimeRefusedWithItsName) {
  for (const char* bad : {"soon", "-5", "1e9", "99999999999999"}) {
    setenv("FORGATHER_RENDER_TIME", bad, 1);
    try {
      render("{{ utcisotime() }}");
      ADD_FAILURE() << "accepted FORGATHER_RENDER_TIME=" << bad;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("FORGATHER_RENDER_TIME"), std::string::npos) << e.what();
    }
  }
  unsetenv("FORGATHER_RENDER_TIME");
}

TEST(JinjaGlobals, PathFunctionsRaiseOnUndefined) {
  EXPECT_THROW(render("{{ joinpath('a', nope) }}"), UndefinedError);
  EXPECT_THROW(render("{{ normpath(nope) }}"), UndefinedError);
  EXPECT_EQ(render("{{ getcwd() == abspath('.') }}"), "True");
}

TEST(JinjaGlobals, LipsumCyclerJoiner) {
  std::string l = render("{{ lipsum(2, false, 5) }}");
  EXPECT_EQ(std::count(l.begin(), l.end(), '.'), 2);
  EXPECT_EQ(render("{{ lipsum(1) }}").rfind("<p>", 0), 0u);
  EXPECT_EQ(render("{% set c = cycler(1, 2) %}{{ c.next() }}{{ c.next() }}{% set _ = c.reset() %}"
                   "{{ c.current }}"),
            "121");
}

}  // namespace
}  // namespace fg::config::jinja
