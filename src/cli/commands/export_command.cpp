#include "cli/commands/export_command.h"

#include <fmt/format.h>

#include "builders/model_directory.h"
#include "core/error.h"
#include "interop/hf_export.h"

namespace fg::cli {
namespace {

struct ExportHfOptions {
  std::string run_dir;
  std::string out_dir;
};

void run_export_hf(CliContext& ctx, const ExportHfOptions& o) {
  builders::LoadedModel loaded = builders::load_model_directory(o.run_dir, *ctx.registry);
  if (!loaded.tokenizer)
    throw Error("[export hf] " + o.run_dir + " holds no tokenizer files (tokenizer_config.json)");
  const auto files = interop::export_hf(*loaded.model, *loaded.tokenizer, o.out_dir);
  std::ostream& os = ctx.output();
  os << fmt::format("exported {} to {}:", o.run_dir, o.out_dir);
  for (const auto& f : files) os << " " << f;
  os << "\nload it with AutoModelForCausalLM.from_pretrained(\"" << o.out_dir
     << "\", trust_remote_code=True) and AutoTokenizer.from_pretrained(\"" << o.out_dir
     << "\", trust_remote_code=True)\n";
}

}  // namespace

void add_export_command(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand("export", "Export a trained model to other tools' formats");
  cmd->require_subcommand(1);
  auto hf = std::make_shared<ExportHfOptions>();
  CLI::App* sub = cmd->add_subcommand(
      "hf", "Write a Hugging Face model directory (transformers, trust_remote_code=True)");
  sub->add_option("run_dir", hf->run_dir, "Trained model directory or checkpoint")->required();
  sub->add_option("out_dir", hf->out_dir, "Directory to write")->required();
  sub->callback([&ctx, hf] { run_export_hf(ctx, *hf); });
}

}  // namespace fg::cli
