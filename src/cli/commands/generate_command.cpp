#include "cli/commands/generate_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "builders/model_directory.h"
#include "cli/device_selection.h"
#include "cli/number_options.h"
#include "config/materializer.h"
#include "core/checked_fs.h"
#include "core/error.h"
#include "train/generation.h"

namespace fg::cli {
namespace {

// Generation keeps every token of a row in memory; a million is far beyond any model here.
constexpr int64_t kMaxNewTokens = int64_t{1} << 20;

struct GenerateOptions {
  std::string model_dir;
  std::string devices;
  std::vector<std::string> prompts;
  std::string prompts_file;
  train::SamplingOptions sampling;
  bool greedy = false;
  bool no_cache = false;
  bool no_stream = false;
  bool print_ids = false;
};

std::vector<std::string> read_prompt_lines(const std::string& path) {
  require_regular_file(path, "generate", "prompts file");
  std::istringstream in(read_file_checked(path, "generate"));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Follows a row's text as it grows: decoding the whole continuation each time keeps multi-byte
// characters intact, and only the new suffix is handed on.
class StreamDecoder {
 public:
  explicit StreamDecoder(const tokenizer::Tokenizer& tok) : tok_(&tok) {}
  std::string add(int64_t token) {
    ids_.push_back(static_cast<int32_t>(token));
    std::string text = tok_->decode(ids_);
    if (text.size() <= printed_.size() || text.compare(0, printed_.size(), printed_) != 0)
      return "";
    std::string piece = text.substr(printed_.size());
    printed_ = std::move(text);
    return piece;
  }

 private:
  const tokenizer::Tokenizer* tok_;
  std::vector<int32_t> ids_;
  std::string printed_;
};

void run_generate(const CLI::App& sub, CliContext& ctx, GenerateOptions o) {
  const Device device = use_run_device(o.devices, "generate");
  const std::string dir = resolve_model_dir(sub, ctx, o.model_dir);
  if (!o.prompts_file.empty()) {
    auto more = read_prompt_lines(o.prompts_file);
    o.prompts.insert(o.prompts.end(), more.begin(), more.end());
  }
  if (o.prompts.empty()) o.prompts.push_back(kDragonPrompt);
  if (o.greedy) {
    int64_t max_new = o.sampling.max_new_tokens;
    o.sampling = train::SamplingOptions::greedy();
    o.sampling.max_new_tokens = max_new;
  }
  TextGenerationRequest req{o.prompts, o.sampling, !o.no_cache, device};
  std::ostream& os = ctx.output();
  const bool stream = o.prompts.size() == 1 && !o.no_stream;
  std::function<void(int64_t, const std::string&)> on_text;
  if (stream) {
    os << o.prompts[0] << std::flush;
    on_text = [&os](int64_t, const std::string& piece) { os << piece << std::flush; };
  }
  const GeneratedTexts out = generate_texts(*ctx.registry, dir, req, on_text);
  if (stream) {
    os << "\n";
  } else {
    for (size_t i = 0; i < out.prompts.size(); ++i) {
      if (i) os << "\n---\n";
      os << out.prompts[i] << out.continuations[i] << "\n";
    }
  }
  if (o.print_ids) {
    for (const auto& row : out.result.new_tokens)
      os << fmt::format("ids: {}\n", fmt::join(row, " "));
  }
  std::cerr << fmt::format(
      "[generate] {} tokens in {:.2f} s ({:.1f} tokens/s, KV cache {}, {})\n",
      out.result.total_new_tokens, out.result.seconds,
      out.result.seconds > 0 ? out.result.total_new_tokens / out.result.seconds : 0.0,
      req.use_cache ? "on" : "off", device.to_string());
}

}  // namespace

GeneratedTexts generate_texts(
    const config::Registry& registry, const std::filesystem::path& model_dir,
    const TextGenerationRequest& request,
    const std::function<void(int64_t row, const std::string& piece)>& on_text) {
  builders::LoadedModel loaded = builders::load_model_directory(model_dir, registry);
  if (!loaded.tokenizer)
    throw Error("[generate] " + model_dir.string() + " holds no tokenizer files");
  loaded.model->to(request.device);  // loaded on the host, then moved once
  GeneratedTexts out;
  out.prompts = request.prompts.empty() ? std::vector<std::string>{kDragonPrompt} : request.prompts;
  train::GenerationRequest req;
  req.sampling = request.sampling;
  req.use_cache = request.use_cache;
  req.eos_id = loaded.tokenizer->eos_id();
  for (const auto& p : out.prompts) {
    auto ids = loaded.tokenizer->encode(p);
    req.prompts.emplace_back(ids.begin(), ids.end());
  }
  std::vector<StreamDecoder> rows(out.prompts.size(), StreamDecoder(*loaded.tokenizer));
  out.result = train::generate(*loaded.model, req, [&](int64_t row, int64_t token) {
    if (!on_text) return;
    const std::string piece = rows[static_cast<size_t>(row)].add(token);
    if (!piece.empty()) on_text(row, piece);
  });
  for (const auto& row : out.result.new_tokens) {
    std::vector<int32_t> ids(row.begin(), row.end());
    out.continuations.push_back(loaded.tokenizer->decode(ids));
  }
  return out;
}

std::string resolve_model_dir(const CLI::App& sub, const CliContext& ctx,
                              const std::string& given) {
  if (!given.empty()) return given;
  if (ctx.config_template.empty())
    throw Error("[" + sub.get_name() +
                "] name a model directory (e.g. output_models/baseline_alibi_glu) or select a "
                "config with -t to use its output_dir");
  config::Project project = ctx.load_project(sub);
  config::Materializer materializer(*ctx.registry, project.graph());
  config::Object meta = materializer.target("meta", {});
  const config::Object* out = meta.find("output_dir");
  if (!out) throw Error("[" + sub.get_name() + "] the config's meta has no output_dir");
  return out->as_string();
}

void add_generate_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<GenerateOptions>();
  CLI::App* sub = app.add_subcommand("generate", "Generate text from a trained model directory");
  sub->alias("inf");
  sub->add_option("model_dir", opts->model_dir,
                  "Model directory (config.json, model.safetensors, tokenizer); default: the "
                  "selected config's output_dir");
  sub->add_option("--prompt", opts->prompts,
                  "Prompt text (repeatable; default: the dragon prompt)");
  sub->add_option("--prompts-file", opts->prompts_file, "File with one prompt per line");
  auto& s = opts->sampling;
  add_int_option(*sub, "--max-new-tokens", s.max_new_tokens, "Tokens to generate", 0,
                 kMaxNewTokens);
  add_real_option(*sub, "--temperature", s.temperature, "Sampling temperature", 1e-6, 1e6);
  add_int_option(*sub, "--top-k", s.top_k, "Keep the k most likely tokens (0: off)", 0);
  add_real_option(*sub, "--top-p", s.top_p, "Nucleus sampling mass (1: off)", 1e-6, 1);
  add_real_option(*sub, "--repetition-penalty", s.repetition_penalty,
                  "Penalty for tokens already in the text (1: off)", 1e-6, 1e6);
  add_uint_option(*sub, "--seed", s.seed, "Sampling seed");
  sub->add_flag("--greedy", opts->greedy, "Pick the most likely token (no sampling)");
  sub->add_flag("--no-cache", opts->no_cache, "Re-run the whole sequence for every token");
  sub->add_flag("--no-stream", opts->no_stream, "Print the text only when it is complete");
  sub->add_flag("--print-ids", opts->print_ids, "Then print each row's new token ids ('ids: ...')");
  add_devices_option(*sub, opts->devices);
  sub->callback([sub, &ctx, opts] { run_generate(*sub, ctx, *opts); });
}

}  // namespace fg::cli
