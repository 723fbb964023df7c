// Time to load the example baseline config: meta.yaml, preprocessing and rendering of the whole
// template chain, and (second benchmark) parsing the result into the node graph.
#include <benchmark/benchmark.h>

#include "config/project.h"

namespace {

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";

void BM_RenderBaseline(benchmark::State& state) {
  for (auto _ : state) {
    fg::config::ProjectOptions opts;
    opts.config_name = "baseline.yaml";
    fg::config::Project project(kProject, std::move(opts));
    benchmark::DoNotOptimize(project.rendered().text.size());
  }
}
BENCHMARK(BM_RenderBaseline)->Unit(benchmark::kMillisecond);

void BM_RenderAndParseBaseline(benchmark::State& state) {
  for (auto _ : state) {
    fg::config::ProjectOptions opts;
    opts.config_name = "baseline.yaml";
    fg::config::Project project(kProject, std::move(opts));
    benchmark::DoNotOptimize(project.graph().targets().size());
  }
}
BENCHMARK(BM_RenderAndParseBaseline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
