#pragma once
// Test helpers: a temporary directory and synthetic run directories laid out the way the
// Trainer writes them (runs/<logdir>/trainer_logs.json, config.json, model.safetensors,
// checkpoints/checkpoint-<step>/config.yaml).
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "formats/json_log.h"
#include "formats/safetensors_writer.h"

namespace fg::report::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "fg-report-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

using Record = formats::JsonObject;

inline Record train_record(int64_t step, double loss, double lr, double tps = 1000) {
  return {{"timestamp", 1000.0 + static_cast<double>(step)},
          {"global_step", step},
          {"epoch", static_cast<double>(step) / 100.0},
          {"loss", loss},
          {"grad_norm", 1.0},
          {"max_grad_norm", 2.0},
          {"learning_rate", lr},
          {"tokens_per_second", tps}};
}

inline Record eval_record(int64_t step, double eval_loss) {
  return {{"timestamp", 1000.5 + static_cast<double>(step)},
          {"global_step", step},
          {"epoch", static_cast<double>(step) / 100.0},
          {"eval_loss", eval_loss},
          {"eval_perplexity", std::exp(eval_loss)}};
}

inline Record final_record(int64_t step, double runtime, int64_t steps, double tps) {
  return {{"timestamp", 1001.0 + static_cast<double>(step)},
          {"global_step", step},
          {"epoch", static_cast<double>(step) / 100.0},
          {"train_runtime", runtime},
          {"train_steps", steps},
          {"train_tokens_per_second", tps},
          {"skipped_steps", 0}};
}

inline void write_log(const fs::path& log, const std::vector<Record>& records) {
  fs::create_directories(log.parent_path());
  auto writer = formats::JsonLogWriter::create(log);
  for (const auto& r : records) writer.append(r);
}

struct RunSpec {
  std::string config_name;  // empty: no checkpoint config.yaml
  int64_t steps = 100;
  int64_t log_every = 10;
  int64_t eval_every = 50;
  double loss_scale = 1.0;
  bool finished = true;
  std::vector<int64_t> weight_shape = {16, 8};  // model.safetensors; empty: none
  std::string sample;                           // an eval_text record at the end, if set
};

// A decaying loss curve per spec; returns the output directory.
inline fs::path make_run(const fs::path& dir, const RunSpec& spec) {
  std::vector<Record> records;
  for (int64_t s = spec.log_every; s <= spec.steps; s += spec.log_every) {
    const double loss = spec.loss_scale * (2.0 + 8.0 / (1.0 + 0.1 * static_cast<double>(s)));
    records.push_back(train_record(s, loss, 1e-3 * (1.0 - static_cast<double>(s) / spec.steps)));
    if (spec.eval_every > 0 && s % spec.eval_every == 0)
      records.push_back(eval_record(s, loss + 0.1));
  }
  if (!spec.sample.empty())
    records.push_back(
        {{"timestamp", 2000.0}, {"global_step", spec.steps}, {"eval_text", spec.sample}});
  if (spec.finished) records.push_back(final_record(spec.steps, 125.0, spec.steps, 4321.0));
  write_log(dir / "runs" / "2026-11-29T10-00-00_host" / "trainer_logs.json", records);
  if (!spec.weight_shape.empty()) {
    int64_t n = 1;
    for (int64_t d : spec.weight_shape) n *= d;
    std::vector<float> w(static_cast<size_t>(n), 0.5f);
    formats::SafetensorsWriter writer;
    writer.add_f32("lm_head.weight", spec.weight_shape, w);
    writer.add_f32("norm.weight", {spec.weight_shape.back()},
                   std::span<const float>(w.data(), static_cast<size_t>(spec.weight_shape.back())));
    writer.write(dir / "model.safetensors");
  }
  if (!spec.config_name.empty()) {
    write_file(
        dir / "checkpoints" / ("checkpoint-" + std::to_string(spec.steps)) / "config.yaml",
        "meta: &meta_output !dict:@meta\n  config_name: \"" + spec.config_name +
            "\"\n  config_description: \"test\"\nmain: !singleton:foo\n  meta: *meta_output\n");
  }
  return dir;
}

}  // namespace fg::report::testing
