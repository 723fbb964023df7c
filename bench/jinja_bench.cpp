// Renders tests/config/jinja_corpus/templates/cases/200_fg_training_chain.j2 (a chain of nine
// templates: extends x5, include, import, namespace, filters). "Cold" builds a new Environment
// each time (parse + render, what one `forgather` command does); "Warm" reuses the cache.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/jinja/environment.h"

namespace {

namespace fs = std::filesystem;
namespace jj = fg::config::jinja;
const fs::path kCorpus = fs::path(FG_SOURCE_DIR) / "tests/config/jinja_corpus";

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class DirLoader : public jj::Loader {
 public:
  std::optional<jj::TemplateSource> load(const std::string& name) override {
    fs::path p = kCorpus / "templates" / name;
    if (!fs::exists(p)) return std::nullopt;
    return jj::TemplateSource{read_file(p), p.string(), 1};
  }
  std::vector<std::string> search_path() const override { return {}; }
};

jj::ValueMap vars() {
  return jj::Value::from_json(nlohmann::json::parse(read_file(kCorpus / "vars.json"))).map();
}

void BM_JinjaChainCold(benchmark::State& state) {
  const jj::ValueMap v = vars();
  for (auto _ : state) {
    jj::Environment env(std::make_shared<DirLoader>());
    benchmark::DoNotOptimize(env.render("cases/200_fg_training_chain.j2", v));
  }
}
BENCHMARK(BM_JinjaChainCold)->Unit(benchmark::kMillisecond);

void BM_JinjaChainWarm(benchmark::State& state) {
  const jj::ValueMap v = vars();
  jj::Environment env(std::make_shared<DirLoader>());
  for (auto _ : state) benchmark::DoNotOptimize(env.render("cases/200_fg_training_chain.j2", v));
}
BENCHMARK(BM_JinjaChainWarm)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
