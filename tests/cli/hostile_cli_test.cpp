// `forgather ls` over a project with a hostile config: the bad config is reported with its
// error and the others are still listed (one deeply nested template used to crash the listing).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "../config/temp_workspace.h"
#include "cli/app.h"

namespace fg::cli {
namespace {

struct Result {
  int code;
  std::string out, err;
};

Result run(std::vector<std::string> args) {
  config::Registry registry;
  config::register_builtins(registry);
  std::ostringstream out, err;
  const int code = run_cli(args, registry, add_core_commands, out, err);
  return {code, out.str(), err.str()};
}

std::string config_with_meta(const std::string& name, const std::string& description) {
  return "meta:\n  config_name: \"" + name + "\"\n  config_description: \"" + description + "\"\n";
}

TEST(HostileCli, LsReportsADeeplyNestedConfigAndListsTheOthers) {
  config::testing::TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/a_first.yaml", config_with_meta("First", "one"));
  ws.write("proj/templates/configs/b_nested.yaml",
           "x: 1\ny: {{ " + std::string(10000, '(') + "1" + std::string(10000, ')') + " }}\n");
  ws.write("proj/templates/configs/c_ifs.yaml", [] {
    std::string t;
    for (int i = 0; i < 20000; ++i) t += "{% if true %}";
    return t + "x: 1" + [] {
      std::string e;
      for (int i = 0; i < 20000; ++i) e += "{% endif %}";
      return e;
    }();
  }());
  ws.write("proj/templates/configs/d_sum.yaml", [] {
    std::string t = "x: {{ 1";
    for (int i = 0; i < 200000; ++i) t += " + 1";
    return t + " }}\n";
  }());
  ws.write("proj/templates/configs/e_last.yaml", config_with_meta("Last", "five"));

  Result r = run({"-p", dir, "ls"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Test : A test project"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a_first.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("First : one"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Last : five"), std::string::npos) << r.out;
  for (const char* bad : {"b_nested.yaml", "c_ifs.yaml", "d_sum.yaml"}) {
    const size_t at = r.out.find(bad);
    ASSERT_NE(at, std::string::npos) << bad << "\n" << r.out;
    const std::string tail = r.out.substr(at, 400);
    EXPECT_NE(tail.find("PARSE ERROR : An error occured while parsing the configuration."),
              std::string::npos)
        << tail;
    EXPECT_NE(tail.find("template nesting too deep"), std::string::npos) << tail;
    EXPECT_NE(tail.find("FORGATHER_MAX_TEMPLATE_DEPTH"), std::string::npos) << tail;
    EXPECT_NE(tail.find(std::string("configs/") + bad + ":"), std::string::npos) << tail;
  }
}

TEST(HostileCli, LsSkipsSymlinkLoopsInTheConfigTree) {
  config::testing::TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/a.yaml", config_with_meta("A", "one"));
  std::filesystem::create_symlink("loop.yaml", ws.path("proj/templates/configs/loop.yaml"));
  std::filesystem::create_directory_symlink(".", ws.path("proj/templates/configs/again"));
  Result r = run({"-p", dir, "ls"});  // used to be "internal error: ... symbolic links"
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("A : one"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("loop.yaml"), std::string::npos) << r.out;
}

TEST(HostileCli, PpOfADeeplyNestedConfigIsAConfigError) {
  config::testing::TempWorkspace ws;
  const std::string dir = ws.project();
  ws.write("proj/templates/configs/bad.yaml",
           "a: {{ " + std::string(10000, '[') + std::string(10000, ']') + " }}\n");
  try {
    run({"-p", dir, "-t", "bad.yaml", "pp"});
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("more than 256 open brackets"), std::string::npos)
        << e.what();
  }
}

TEST(HostileCli, LsRecursiveCarriesOnPastAnUnreadableProject) {
  config::testing::TempWorkspace ws;
  const std::string good = ws.project("good");
  ws.write("good/templates/configs/g.yaml", config_with_meta("Good", "fine"));
  ws.write("bad/meta.yaml", "searchdir: {{ " + std::string(5000, '(') + " }}\n");
  Result r = run({"ls", "-r", ws.path()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Good : fine"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PARSE ERROR: " + ws.path("bad") + "/meta.yaml"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("open brackets"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace fg::cli
