#include "cli/commands/eval_command.h"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "builders/model_directory.h"
#include "cli/commands/eval_dump.h"
#include "cli/commands/generate_command.h"
#include "cli/device_selection.h"
#include "cli/number_options.h"
#include "core/checked_fs.h"
#include "core/error.h"
#include "data/split_source.h"
#include "train/length_eval.h"

namespace fg::cli {
namespace {

std::string default_dataset() {
  const char* env = std::getenv("FORGATHER_DATASET");
  return env && std::string(env) == "synthetic" ? "synthetic" : "tinystories";
}

data::SplitSourceOptions source_for(const std::string& dataset) {
  data::SplitSourceOptions o;
  if (dataset == "tinystories" || dataset == "synthetic") {
    o.kind = dataset;
  } else {
    o.kind = "files";
    o.split_paths["validation"] = {dataset};
    o.split_paths["test"] = {dataset};
    o.split_paths["train"] = {dataset};
  }
  return o;
}

struct EvalOptions {
  std::string model_dir;
  std::string devices;
  std::string lengths = "256,512,1024,2048";
  std::string output;
  LengthEvalRequest request;
  LogitsDumpRequest dump;
};

// --dump-logits: the split's ids and the first stories' logits instead of perplexities.
void run_dump(const CLI::App& sub, CliContext& ctx, const EvalOptions& o) {
  const std::filesystem::path dir = resolve_model_dir(sub, ctx, o.model_dir);
  builders::LoadedModel loaded = builders::load_model_directory(dir, *ctx.registry);
  if (!loaded.tokenizer) throw Error("[eval] " + dir.string() + " holds no tokenizer files");
  loaded.model->to(o.request.device);
  const std::string dataset = o.request.dataset.empty() ? default_dataset() : o.request.dataset;
  const auto docs = data::load_split_documents(source_for(dataset), o.request.split);
  dump_logits(loaded, docs, o.dump);
  ctx.output() << fmt::format("wrote ids of {} stories and logits of {} to {}\n", docs.size(),
                              std::min<int64_t>(o.dump.stories, docs.size()), o.dump.file.string());
}

void run_eval(const CLI::App& sub, CliContext& ctx, const EvalOptions& o) {
  const std::filesystem::path dir = resolve_model_dir(sub, ctx, o.model_dir);
  const auto lengths = report::parse_lengths(o.lengths, "--lengths");
  const report::EvalLengths fresh =
      evaluate_and_record_lengths(*ctx.registry, dir, lengths, o.request, o.output);
  std::ostream& os = ctx.output();
  os << fmt::format("{:>8} {:>10} {:>12} {:>10}\n", "length", "loss", "perplexity", "tokens");
  for (const auto& r : fresh.results)
    os << fmt::format("{:>8} {:>10.4f} {:>12.3f} {:>10}\n", r.length, r.loss, r.perplexity,
                      r.tokens);
  os << "wrote " << eval_lengths_path(dir, o.output).string() << "\n";
}

}  // namespace

report::EvalLengths evaluate_model_lengths(const config::Registry& registry,
                                           const std::filesystem::path& model_dir,
                                           const std::vector<int64_t>& lengths,
                                           const LengthEvalRequest& request) {
  builders::LoadedModel loaded = builders::load_model_directory(model_dir, registry);
  if (!loaded.tokenizer) throw Error("[eval] " + model_dir.string() + " holds no tokenizer files");
  loaded.model->to(request.device);  // loaded on the host, then moved once
  const std::string dataset = request.dataset.empty() ? default_dataset() : request.dataset;
  std::vector<std::string> docs = data::load_split_documents(source_for(dataset), request.split);
  // One stream of [BOS] + story tokens, as the model saw each story in training.
  std::vector<int64_t> stream;
  for (const auto& d : docs) {
    auto ids = loaded.tokenizer->encode(d);
    stream.insert(stream.end(), ids.begin(), ids.end());
  }
  train::LengthEvalOptions opts;
  opts.lengths = lengths;
  opts.batch_size = request.batch_size;
  opts.max_blocks = request.max_blocks;
  auto results = train::evaluate_lengths(
      *loaded.model, stream, opts, [](int64_t length, int64_t done, int64_t total) {
        std::cerr << fmt::format("\r[eval] length {}: {}/{} blocks", length, done, total)
                  << (done == total ? "\n" : "") << std::flush;
      });
  report::EvalLengths out;
  out.dataset = dataset + ":" + request.split;
  for (const auto& r : results) {
    if (r.blocks == 0) {
      std::cerr << fmt::format(
          "[eval] length {} is longer than the {} evaluation tokens; skipped\n", r.length,
          stream.size());
      continue;
    }
    out.results.push_back({r.length, r.loss, r.perplexity, r.tokens});
  }
  return out;
}

std::filesystem::path eval_lengths_path(const std::filesystem::path& model_dir,
                                        const std::filesystem::path& output) {
  return output.empty() ? model_dir / report::kEvalLengthsFile : output;
}

report::EvalLengths evaluate_and_record_lengths(const config::Registry& registry,
                                                const std::filesystem::path& model_dir,
                                                const std::vector<int64_t>& lengths,
                                                const LengthEvalRequest& request,
                                                const std::filesystem::path& output) {
  require_directory(model_dir, "eval", "model directory");
  const std::filesystem::path out = eval_lengths_path(model_dir, output);
  require_output_file_path(out, "eval");  // before the evaluation, which takes a while
  report::EvalLengths fresh = evaluate_model_lengths(registry, model_dir, lengths, request);
  report::EvalLengths merged = fresh;
  if (exists_checked(out, "eval") && fresh.dataset == report::read_eval_lengths(out).dataset)
    merged = report::merge_eval_lengths(report::read_eval_lengths(out), fresh);
  report::write_eval_lengths(out, merged);
  return fresh;
}

void add_eval_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<EvalOptions>();
  CLI::App* sub = app.add_subcommand(
      "eval", "Perplexity of a trained model at chosen evaluation lengths (ALiBi extrapolation)");
  sub->add_option("model_dir", opts->model_dir,
                  "Model directory; default: the selected config's output_dir");
  sub->add_option("--lengths", opts->lengths, "Comma-separated context lengths")
      ->capture_default_str();
  sub->add_option("--dataset", opts->request.dataset,
                  "tinystories, synthetic, or a text/JSONL file, glob or directory (default: "
                  "synthetic when FORGATHER_DATASET=synthetic, else tinystories)");
  sub->add_option("--split", opts->request.split, "Split spec, e.g. validation or validation[:200]")
      ->capture_default_str();
  add_int_option(*sub, "--max-blocks", opts->request.max_blocks, "Blocks evaluated per length", 1);
  add_int_option(*sub, "--batch", opts->request.batch_size, "Blocks per forward pass", 1,
                 int64_t{1} << 16);
  sub->add_option("-o,--output", opts->output,
                  "Results file (default <model_dir>/eval_lengths.json)");
  sub->add_option("--dump-logits", opts->dump.file,
                  "Write the split's ids and the first stories' logits to this safetensors "
                  "file (no perplexities)");
  add_int_option(*sub, "--dump-stories", opts->dump.stories,
                 "Stories whose logits --dump-logits writes (0: only the ids)", 0);
  add_int_option(*sub, "--dump-max-tokens", opts->dump.max_tokens, "Tokens per story in the logits",
                 1);
  add_devices_option(*sub, opts->devices);
  sub->callback([sub, &ctx, opts] {
    opts->request.device = use_run_device(opts->devices, "eval");
    if (!opts->dump.file.empty())
      run_dump(*sub, ctx, *opts);
    else
      run_eval(*sub, ctx, *opts);
  });
}

}  // namespace fg::cli
