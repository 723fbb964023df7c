// Hostile template names and sources: a template is read only from inside its search path
// (absolute names, `..` and symlinks that lead out are TemplateNotFound, as in jinja2), and
// the preprocessor copes with any line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/jinja/environment.h"
#include "config/preprocessor.h"
#include "config/project.h"
#include "config/template_loader.h"
#include "temp_workspace.h"

namespace fg::config {
namespace {

namespace fs = std::filesystem;
using testing::TempWorkspace;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// A search directory <root>/templates holding `main.j2` with `text`, and a secret file outside
// it (<root>/outside/secret.txt) that no template may read.
struct Fixture {
  TempWorkspace ws;
  std::string dir = ws.path("templates");
  std::string secret = ws.path("outside/secret.txt");
  Fixture() {
    ws.write("outside/secret.txt", "TOP SECRET\n");
    ws.write("templates/inside.txt", "inside\n");
  }
  std::string render(const std::string& text) {
    ws.write("templates/main.j2", text);
    auto loader = std::make_shared<TemplateLoader>(std::vector<std::string>{dir});
    jinja::Environment env(loader);
    return env.render("main.j2", {});
  }
  // The message of the error `text` raises, checking that it is a TemplateNotFound.
  std::string not_found(const std::string& text) {
    try {
      const std::string out = render(text);
      ADD_FAILURE() << "rendered: " << out;
    } catch (const jinja::TemplateError& e) {
      EXPECT_EQ(e.jinja_message().rfind("TemplateNotFound", 0), 0u) << e.what();
      EXPECT_EQ(std::string(e.what()).find("TOP SECRET"), std::string::npos);
      EXPECT_EQ(e.where().line, 1) << e.what();
      return e.jinja_message();
    }
    return "";
  }
};

TEST(HostileTemplatePaths, AbsoluteIncludeIsRefused) {
  Fixture f;
  const std::string msg = f.not_found("{% include '" + f.secret + "' %}");
  EXPECT_CONTAINS(msg, "'" + f.secret + "' not found in search paths");
  EXPECT_CONTAINS(msg, "(absolute template names are refused)");
}

TEST(HostileTemplatePaths, AbsoluteIncludeOfEtcPasswdIsRefused) {
  Fixture f;
  EXPECT_CONTAINS(f.not_found("{% include '/etc/passwd' %}"),
                  "TemplateNotFound: '/etc/passwd' not found");
}

TEST(HostileTemplatePaths, AbsoluteExtendsIsRefused) {
  Fixture f;
  EXPECT_CONTAINS(f.not_found("{% extends '" + f.secret + "' %}"),
                  "(absolute template names are refused)");
}

TEST(HostileTemplatePaths, AbsoluteImportAndFromImportAreRefused) {
  Fixture f;
  EXPECT_CONTAINS(f.not_found("{% import '" + f.secret + "' as m %}"),
                  "(absolute template names are refused)");
  EXPECT_CONTAINS(f.not_found("{% from '" + f.secret + "' import x %}"),
                  "(absolute template names are refused)");
}

TEST(HostileTemplatePaths, DotDotIsRefused) {
  Fixture f;
  EXPECT_CONTAINS(f.not_found("{% include '../outside/secret.txt' %}"),
                  "('..' segments are refused)");
  EXPECT_CONTAINS(f.not_found("{% include 'x/../../outside/secret.txt' %}"),
                  "('..' segments are refused)");
}

TEST(HostileTemplatePaths, SymlinkedFileLeadingOutIsRefused) {
  Fixture f;
  fs::create_symlink(f.secret, f.dir + "/link.txt");
  const std::string msg = f.not_found("{% include 'link.txt' %}");
  EXPECT_CONTAINS(msg, "resolves (through a symlink) outside the search path");
}

TEST(HostileTemplatePaths, SymlinkedDirectoryLeadingOutIsRefused) {
  Fixture f;
  fs::create_directory_symlink(f.ws.path("outside"), f.dir + "/sub");
  EXPECT_CONTAINS(f.not_found("{% include 'sub/secret.txt' %}"),
                  "resolves (through a symlink) outside the search path");
}

TEST(HostileTemplatePaths, SymlinkToAbsoluteSystemFileIsRefused) {
  Fixture f;
  fs::create_symlink("/etc/hostname", f.dir + "/host.txt");
  EXPECT_CONTAINS(f.not_found("{% include 'host.txt' %}"), "TemplateNotFound: 'host.txt'");
}

TEST(HostileTemplatePaths, SymlinkInsideTheSearchPathIsFollowed) {
  Fixture f;
  fs::create_symlink(f.dir + "/inside.txt", f.dir + "/alias.txt");
  EXPECT_EQ(f.render("{% include 'alias.txt' %}"), "inside");
}

TEST(HostileTemplatePaths, SymlinkIntoAnotherSearchDirectoryIsFollowed) {
  TempWorkspace ws;
  ws.write("a/x.j2", "from a");
  ws.write("b/keep.txt", "");
  fs::create_symlink(ws.path("a/x.j2"), ws.path("b/y.j2"));
  auto loader =
      std::make_shared<TemplateLoader>(std::vector<std::string>{ws.path("b"), ws.path("a")});
  jinja::Environment env(loader);
  EXPECT_EQ(env.render("y.j2", {}), "from a");
}

TEST(HostileTemplatePaths, NulByteInNameIsRefused) {
  Fixture f;
  EXPECT_CONTAINS(f.not_found("{% include 'inside.txt\\x00../../outside/secret.txt' %}"),
                  "(template names may not contain NUL bytes)");
}

TEST(HostileTemplatePaths, DynamicAbsoluteNameIsRefused) {
  Fixture f;
  EXPECT_CONTAINS(f.not_found("{% set p = joinpath('/', 'etc', 'passwd') %}{% include p %}"),
                  "(absolute template names are refused)");
  EXPECT_CONTAINS(f.not_found("{% include ['/etc/passwd', '/etc/hostname'] %}"),
                  "'/etc/hostname' not found");
}

TEST(HostileTemplatePaths, LoaderRefusesDirectly) {
  Fixture f;
  TemplateLoader loader({f.dir});
  EXPECT_FALSE(loader.load(f.secret).has_value());
  EXPECT_FALSE(loader.load("/etc/passwd").has_value());
  EXPECT_FALSE(loader.load("").has_value());
  EXPECT_TRUE(loader.load("inside.txt").has_value());
  EXPECT_EQ(loader.refusal("inside.txt"), "");
}

TEST(HostileTemplatePaths, AbsoluteConfigNameIsNotFound) {
  TempWorkspace ws;
  const std::string proj = ws.project();
  ws.write("proj/templates/configs/a.yaml", "a: 1\n");
  ProjectOptions opts;
  opts.config_name = "/etc/passwd";
  try {
    Project p(proj, opts);
    ADD_FAILURE() << p.rendered().text;
  } catch (const ConfigError& e) {
    EXPECT_CONTAINS(e.what(), "config '/etc/passwd' not found");
    EXPECT_CONTAINS(e.what(), "configs: a.yaml");
  }
}

TEST(HostileTemplatePaths, ConfigNameWithDotDotIsNotFound) {
  TempWorkspace ws;
  const std::string proj = ws.project();
  ws.write("proj/templates/configs/a.yaml", "a: 1\n");
  ws.write("proj/secret.yaml", "secret: 1\n");
  ProjectOptions opts;
  opts.config_name = "../../secret.yaml";
  EXPECT_THROW(Project(proj, opts), ConfigError);
}

TEST(HostileTemplatePaths, SplitSubTemplateNamesNeverTouchTheDisk) {
  Fixture f;
  // A `#---- name ----` marker registers an in-memory template; its name reads no file.
  f.ws.write("templates/lib.j2", "lib\n#---- /etc/passwd ----\nfake passwd\n");
  EXPECT_EQ(f.render("{% include 'lib.j2' %}|{% include '/etc/passwd' %}"), "lib|fake passwd");
}

// ---------------------------------------------------------------------------------------------
// The preprocessor: std::regex recursed once per character, so one long line crashed it.

TEST(HostileTemplatePaths, LongBlockHeaderLineDoesNotCrashThePreprocessor) {
  const std::string line = "[" + std::string(200000, 'a') + "]";
  const std::string out = preprocess(line + "\nx: 1\n");
  EXPECT_EQ(out.rfind("{% block " + std::string(200000, 'a') + " %}", 0), 0u);
  EXPECT_EQ(preprocess("[" + std::string(200000, 'a') + " ]x"),
            "[" + std::string(200000, 'a') + " ]x");
}

TEST(HostileTemplatePaths, LongSplitMarkerDoesNotCrashThePreprocessor) {
  const std::string text = "a\n#" + std::string(200000, '-') + " sub " + std::string(200000, '-') +
                           "\nb\n#" + std::string(200000, ' ') + "\n";
  const auto docs = split_documents(text);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1].name, "sub");
  EXPECT_EQ(docs[1].first_line, 3);
}

TEST(HostileTemplatePaths, ThousandsOfNestedBlockHeadersAreANestingError) {
  std::string text;
  for (int i = 0; i < 3000; ++i)
    text += std::string(static_cast<size_t>(i), ' ') + "[b" + std::to_string(i) + "]\n";
  TempWorkspace ws;
  ws.write("t/main.yaml", text);
  auto loader = std::make_shared<TemplateLoader>(std::vector<std::string>{ws.path("t")});
  jinja::Environment env(loader);
  try {
    env.render("main.yaml", {});
    ADD_FAILURE();
  } catch (const jinja::TemplateError& e) {
    EXPECT_CONTAINS(e.jinja_message(), "template nesting too deep");
    EXPECT_CONTAINS(e.where().file, "main.yaml");
  }
}

}  // namespace
}  // namespace fg::config
