// Renders every template of tests/config/jinja_corpus with the C++ engine and compares with the
// outputs Python jinja2 produced (tools/make_jinja_oracle.py): byte for byte, or for error
// cases, the oracle's message must appear in ours.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/jinja/environment.h"

namespace fg::config::jinja {
namespace {

// Timing budgets hold for optimised builds only (not Debug or sanitizer builds).
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr bool kTimed = true;
#else
constexpr bool kTimed = false;
#endif

namespace fs = std::filesystem;
const fs::path kCorpus = fs::path(FG_SOURCE_DIR) / "tests/config/jinja_corpus";

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// File-system loader over one directory (the config layer has the real one).
class DirLoader : public Loader {
 public:
  explicit DirLoader(fs::path root) : root_(std::move(root)) {}
  std::optional<TemplateSource> load(const std::string& name) override {
    fs::path p = root_ / name;
    if (!fs::exists(p)) return std::nullopt;
    return TemplateSource{read_file(p), p.string(), 1};
  }
  std::vector<std::string> search_path() const override { return {root_.string()}; }

 private:
  fs::path root_;
};

ValueMap corpus_vars() {
  Value v = Value::from_json(nlohmann::json::parse(read_file(kCorpus / "vars.json")));
  return v.map();
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCorpus / "templates/cases"))
    if (e.path().extension() == ".j2") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(JinjaCorpus, MatchesPythonJinja2) {
  const ValueMap vars = corpus_vars();
  auto names = case_names();
  ASSERT_GE(names.size(), 80u);  // the brief asks for 80+ templates
  int failures = 0;
  // FG_JINJA_CASE=<substring> renders only matching cases (for debugging one template).
  const char* only = std::getenv("FG_JINJA_CASE");
  for (const auto& name : names) {
    if (only && name.find(only) == std::string::npos) continue;
    SCOPED_TRACE(name);
    fs::path out = kCorpus / "expected" / (name + ".out");
    fs::path err = kCorpus / "expected" / (name + ".err");
    Environment env(std::make_shared<DirLoader>(kCorpus / "templates"));
    try {
      std::string got = env.render("cases/" + name + ".j2", vars);
      if (!fs::exists(out)) {
        ADD_FAILURE() << name << ": expected error '" << read_file(err) << "', got output:\n"
                      << got;
        ++failures;
      } else if (got != read_file(out)) {
        ADD_FAILURE() << name << ": output differs\n--- expected\n"
                      << read_file(out) << "\n--- got\n"
                      << got;
        ++failures;
      }
    } catch (const TemplateError& e) {
      fs::path errline = kCorpus / "expected" / (name + ".errline");
      if (fs::exists(errline)) {
        std::string where = e.where().file + ":" + std::to_string(e.where().line);
        std::string want = "/" + read_file(errline);
        if (where.size() < want.size() ||
            where.compare(where.size() - want.size(), want.size(), want) != 0) {
          ADD_FAILURE() << name << ": error at " << where << ", jinja2 says " << want;
          ++failures;
        }
      }
      if (!fs::exists(err) || std::string(e.what()).find(read_file(err)) == std::string::npos) {
        ADD_FAILURE() << name << ": unexpected error: " << e.what()
                      << "\n  expected: " << (fs::exists(err) ? read_file(err) : "(output)");
        ++failures;
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

// Spec: the example config (a chain of ~10 templates) must render in under 50 ms. This chain
// has nine templates; parse + render with a fresh Environment (best of 3 against CPU noise).
TEST(JinjaCorpus, ChainRendersWellUnderBudget) {
  const ValueMap vars = corpus_vars();
  double best_ms = 1e9;
  for (int i = 0; i < 3; ++i) {
    const std::clock_t t0 = std::clock();  // CPU time: robust to a loaded machine
    Environment env(std::make_shared<DirLoader>(kCorpus / "templates"));
    std::string out = env.render("cases/200_fg_training_chain.j2", vars);
    best_ms = std::min(best_ms, 1000.0 * static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC);
    EXPECT_EQ(env.compiled_templates().size(), 9u);
    EXPECT_GT(out.size(), 2000u);
  }
  if (kTimed) {
    EXPECT_LT(best_ms, 50.0);
  }
}

}  // namespace
}  // namespace fg::config::jinja
