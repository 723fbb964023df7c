#include "builders/model_directory.h"

#include <optional>

#include "builders/model_graph.h"
#include "core/checked_fs.h"
#include "core/json_parse.h"
#include "tokenizer/tokenizer.h"
#include "train/model_io.h"

namespace fg::builders {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& dir, const std::string& what) {
  throw Error("[load_model_directory] " + dir.string() + ": " + what);
}

// config.json holds hyper-parameters and a small graph; anything larger is not one.
constexpr std::uintmax_t kMaxConfigBytes = std::uintmax_t{64} << 20;

// A file the directory names must lie inside it, symlinks resolved: a hostile directory must not
// make loading read /etc/passwd or /dev/zero through a link.
fs::path file_inside(const fs::path& dir, const fs::path& name) {
  const fs::path file = dir / name;
  std::error_code ec;
  if (!fs::exists(file, ec)) fail(dir, "missing " + name.string());
  const fs::path root = fs::canonical(dir, ec);
  const fs::path real = fs::canonical(file, ec);
  const fs::path rel = real.lexically_relative(root);
  if (ec || rel.empty() || rel.is_absolute() || *rel.begin() == "..")
    fail(dir, name.string() + " resolves to " + real.string() +
                  ", outside the model directory; expected a file inside it");
  return file;  // its type (regular file, not a FIFO or device) is checked where it is read
}

nlohmann::json read_config(const fs::path& dir) {
  const fs::path file = file_inside(dir, "config.json");
  std::error_code ec;
  if (const auto size = fs::file_size(file, ec); !ec && size > kMaxConfigBytes)
    fail(dir, "config.json is " + std::to_string(size) + " bytes; expected at most " +
                  std::to_string(kMaxConfigBytes));
  const std::string text = read_file_checked(file, "load_model_directory");
  return parse_json(text, file.string());
}

// Where the tokenizer is, if anywhere, with its files checked to lie inside that directory. A
// checkpoint (<output>/checkpoints/checkpoint-N) shares its model directory's tokenizer.
std::optional<fs::path> tokenizer_dir(const fs::path& dir) {
  const fs::path owner = dir.parent_path().parent_path();
  std::optional<fs::path> found;
  if (tokenizer::holds_tokenizer(dir))
    found = dir;
  else if (dir.parent_path().filename() == "checkpoints" && tokenizer::holds_tokenizer(owner))
    found = owner;
  if (!found) return found;
  // Checked before anything reads them: a symlink out of the directory, a pipe or a device.
  for (const char* name : {tokenizer::kConfigFileName, tokenizer::kHfTokenizerFileName})
    if (fs::exists(*found / name) || fs::is_symlink(*found / name)) file_inside(*found, name);
  for (const std::string& file : tokenizer::tokenizer_files(*found)) file_inside(*found, file);
  return found;
}

}  // namespace

LoadedModel load_model_directory(const fs::path& dir, const config::Registry& registry) {
  require_directory(dir, "load_model_directory", "model directory");
  // Every file is checked before anything is built.
  LoadedModel out;
  out.config = read_config(dir);
  const fs::path weights = file_inside(dir, "model.safetensors");
  const std::optional<fs::path> tokenizer = tokenizer_dir(dir);
  out.model = build_model_from_json(out.config, registry, (dir / "config.json").string());
  train::load_model_weights(*out.model, weights);
  out.model->eval();
  if (tokenizer) out.tokenizer = tokenizer::load_tokenizer(*tokenizer);
  return out;
}

}  // namespace fg::builders
