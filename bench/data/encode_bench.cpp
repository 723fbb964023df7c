// Encoding throughput (MB/s of UTF-8 input) of the tiny_2k-style SentencePiece tokenizer on the
// shared TinyStories sample: one thread, and all cores through TokenizedDataset (OpenMP).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include "data/text_source.h"
#include "data/tokenized_dataset.h"
#include "data/tokenizer_build.h"

namespace {

namespace fs = std::filesystem;

struct Corpus {
  std::vector<std::string> docs;
  int64_t bytes = 0;
  std::unique_ptr<fg::tokenizer::SentencePieceTokenizer> tok;
};

fs::path corpus_file() {
  fs::path root(FG_SOURCE_DIR);
  for (auto up : {root / "..", root / ".." / ".."})
    if (fs::exists(up / "shared/data/tinystories-lc/train.txt"))
      return up / "shared/data/tinystories-lc/train.txt";
  throw std::runtime_error("bench corpus not found under " FG_SOURCE_DIR "/../shared");
}

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus c;
    fg::data::DataSourceOptions o;
    o.paths = {corpus_file().string()};
    c.docs = fg::data::load_documents(o);
    for (const auto& d : c.docs) c.bytes += static_cast<int64_t>(d.size());
    fg::tokenizer::TrainTokenizerOptions t;  // vocab 2000, tiny_2k specials
    c.tok = fg::data::train_on_documents(c.docs, t);
    return c;
  }();
  return c;
}

void BM_EncodeOneThread(benchmark::State& state) {
  const Corpus& c = corpus();
  for (auto _ : state)
    for (const auto& d : c.docs) benchmark::DoNotOptimize(c.tok->encode(d));
  state.SetBytesProcessed(state.iterations() * c.bytes);
}
BENCHMARK(BM_EncodeOneThread)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TokenizeDatasetAllCores(benchmark::State& state) {
  const Corpus& c = corpus();
  fs::path dir = fs::temp_directory_path() / "fg_bench_data_cache";
  for (auto _ : state) {
    fs::remove_all(dir);  // force a rebuild: encode, checksum and write the cache
    fg::data::TokenizeOptions o;
    o.cache_dir = dir;
    benchmark::DoNotOptimize(fg::data::TokenizedDataset::build(c.docs, *c.tok, o).num_tokens());
  }
  fs::remove_all(dir);
  state.SetBytesProcessed(state.iterations() * c.bytes);
}
BENCHMARK(BM_TokenizeDatasetAllCores)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
