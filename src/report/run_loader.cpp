#include "report/run_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/checked_fs.h"
#include "core/error.h"
#include "core/json_parse.h"
#include "formats/checkpoint_dir.h"
#include "formats/safetensors_file.h"

namespace fs = std::filesystem;

namespace fg::report {
namespace {

constexpr const char* kLogName = "trainer_logs.json";

std::string read_text(const fs::path& p) {
  return read_file_checked(p, "compare");
}

nlohmann::json read_json_file(const fs::path& p) {
  return parse_json(read_text(p), p.string());
}

// Logs under <output_dir>/runs, newest first.
std::vector<fs::path> logs_newest_first(const fs::path& runs) {
  std::vector<std::pair<fs::file_time_type, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(runs, ec)) {
    const fs::path log = entry.path() / kLogName;
    if (entry.is_directory() && fs::is_regular_file(log))
      found.emplace_back(fs::last_write_time(log), log);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second > b.second;
  });
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

// A logdir's output_dir: the parent of its "runs" folder, else the logdir itself.
fs::path output_dir_of_logdir(const fs::path& logdir) {
  const fs::path parent = logdir.parent_path();
  return parent.filename() == "runs" ? parent.parent_path() : logdir;
}

std::optional<int64_t> parameters_in_config(const fs::path& config_json) {
  if (!fs::is_regular_file(config_json)) return std::nullopt;
  const nlohmann::json j = read_json_file(config_json);
  if (!j.is_object()) return std::nullopt;
  for (const char* key : {"num_parameters", "total_parameters", "n_parameters", "parameters"}) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number_integer()) return it->get<int64_t>();
  }
  return std::nullopt;
}

// A Hugging Face sharded index: {"weight_map": {tensor: shard file}}.
int64_t count_index_parameters(const fs::path& index) {
  const nlohmann::json j = read_json_file(index);
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw IoError("[compare] " + index.string() + ": expected an object with \"weight_map\"");
  std::set<std::string> shards;
  for (const auto& [name, file] : j["weight_map"].items())
    if (file.is_string()) shards.insert(file.get<std::string>());
  int64_t total = 0;
  for (const auto& shard : shards)
    total += count_safetensors_parameters(index.parent_path() / shard);
  return total;
}

std::optional<int64_t> parameters_in_weights(const fs::path& dir, std::string& source) {
  if (fs::is_regular_file(dir / "model.safetensors")) {
    source = (dir / "model.safetensors").string();
    return count_safetensors_parameters(dir / "model.safetensors");
  }
  if (fs::is_regular_file(dir / "model.safetensors.index.json")) {
    source = (dir / "model.safetensors.index.json").string();
    return count_index_parameters(dir / "model.safetensors.index.json");
  }
  return std::nullopt;
}

}  // namespace

LogLocation locate_log(const fs::path& path) {
  const fs::file_type type = file_type_of(path, "compare");  // a name too long, a symlink loop
  if (type == fs::file_type::not_found)
    throw IoError("[compare] " + path.string() + " does not exist (expected a run's output_dir)");
  LogLocation loc;
  if (type == fs::file_type::regular) {
    if (path.extension() != ".json")
      throw IoError("[compare] " + path.string() +
                    " is a file, not a run: expected an output_dir or a trainer_logs.json");
    loc.log_path = path;
    loc.output_dir = output_dir_of_logdir(path.parent_path());
    return loc;
  }
  if (type != fs::file_type::directory)
    throw IoError("[compare] " + path.string() + " is " + file_type_words(type) +
                  ", not a run: expected an output_dir or a trainer_logs.json");
  if (file_type_of(path / kLogName, "compare") == fs::file_type::regular) {
    loc.log_path = path / kLogName;
    loc.output_dir = output_dir_of_logdir(path);
    return loc;
  }
  std::vector<fs::path> logs = logs_newest_first(path / "runs");
  if (logs.empty()) {
    throw IoError("[compare] no training log in " + path.string() + ": expected " +
                  (path / "runs" / "<logdir>" / kLogName).string() +
                  " (is this a run's output_dir, and did the run start?)");
  }
  loc.output_dir = path;
  loc.log_path = logs.front();
  loc.other_logs.assign(logs.begin() + 1, logs.end());
  return loc;
}

std::optional<fs::path> newest_checkpoint(const fs::path& output_dir) {
  std::optional<std::pair<int64_t, fs::path>> best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(output_dir / "checkpoints", ec)) {
    if (!entry.is_directory()) continue;
    auto step = formats::CheckpointDirectory::parse_step(entry.path().filename().string());
    if (step && (!best || *step > best->first)) best.emplace(*step, entry.path());
  }
  if (!best) return std::nullopt;
  return best->second;
}

std::optional<std::string> config_name(const fs::path& output_dir) {
  auto checkpoint = newest_checkpoint(output_dir);
  if (!checkpoint || !fs::is_regular_file(*checkpoint / "config.yaml")) return std::nullopt;
  try {
    const YAML::Node root = YAML::Load(read_text(*checkpoint / "config.yaml"));
    const YAML::Node name = root["meta"]["config_name"];
    if (!name || !name.IsScalar()) return std::nullopt;
    const std::string text = name.Scalar();
    if (text.empty() || text == "Undefined") return std::nullopt;
    return text;
  } catch (const YAML::Exception&) {
    return std::nullopt;  // the name is a nicety; the directory name stands in
  }
}

int64_t count_safetensors_parameters(const fs::path& file) {
  const auto st = formats::SafetensorsFile::open(file);
  int64_t total = 0;
  for (const auto& [name, tensor] : st.tensors()) total += tensor.numel();
  return total;
}

std::optional<int64_t> count_parameters(const fs::path& output_dir, std::string& source) {
  if (auto n = parameters_in_config(output_dir / "config.json")) {
    source = (output_dir / "config.json").string();
    return n;
  }
  if (auto n = parameters_in_weights(output_dir, source)) return n;
  if (auto checkpoint = newest_checkpoint(output_dir))
    return parameters_in_weights(*checkpoint, source);
  return std::nullopt;
}

RunSummary load_run(const fs::path& path) {
  const LogLocation loc = locate_log(path);
  RunSummary run;
  run.output_dir = loc.output_dir;
  run.log_path = loc.log_path;
  fs::path dir_name = fs::absolute(loc.output_dir).lexically_normal();
  if (dir_name.filename().empty()) dir_name = dir_name.parent_path();
  run.name = config_name(loc.output_dir).value_or(dir_name.filename().string());
  run.log = summarize_log(formats::read_json_log(loc.log_path));
  run.parameters = count_parameters(loc.output_dir, run.parameters_source);
  if (!loc.other_logs.empty()) {
    run.notes.push_back("using the newest log " + loc.log_path.string() + "; " +
                        std::to_string(loc.other_logs.size()) +
                        " older log(s) ignored (pass a runs/<logdir> to choose one)");
  }
  return run;
}

}  // namespace fg::report
