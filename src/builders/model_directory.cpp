#include "builders/model_directory.h"

#include "core/checked_fs.h"

#include "builders/model_graph.h"
#include "train/model_io.h"

namespace fg::builders {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& dir, const std::string& what) {
  throw Error("[load_model_directory] " + dir.string() + ": " + what);
}

nlohmann::json read_config(const fs::path& dir) {
  const fs::path file = dir / "config.json";
  if (!exists_checked(file, "load_model_directory")) fail(dir, "missing config.json");
  const std::string text = read_file_checked(file, "load_model_directory");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail(dir, std::string("invalid config.json: ") + e.what());
  }
}

}  // namespace

LoadedModel load_model_directory(const fs::path& dir, const config::Registry& registry) {
  require_directory(dir, "load_model_directory", "model directory");
  LoadedModel out;
  out.config = read_config(dir);
  const fs::path weights = dir / "model.safetensors";
  if (!fs::exists(weights)) fail(dir, "missing model.safetensors");
  out.model = build_model_from_json(out.config, registry, (dir / "config.json").string());
  train::load_model_weights(*out.model, weights);
  out.model->eval();
  // A checkpoint (<output>/checkpoints/checkpoint-N) shares its model directory's tokenizer.
  const fs::path owner = dir.parent_path().parent_path();
  if (fs::exists(dir / "tokenizer_config.json"))
    out.tokenizer = tokenizer::load_tokenizer(dir);
  else if (dir.parent_path().filename() == "checkpoints" &&
           fs::exists(owner / "tokenizer_config.json"))
    out.tokenizer = tokenizer::load_tokenizer(owner);
  return out;
}

}  // namespace fg::builders
