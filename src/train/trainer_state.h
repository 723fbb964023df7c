#pragma once
// trainer_state.json inside a checkpoint: everything besides the weights and the optimizer
// moments that an exact resume needs, plus the fingerprints that make resume refuse a different
// model, tokenizer, training data or batch geometry.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.h"
#include "data/samples.h"

namespace fg::train {

struct TrainerState {
  int64_t global_step = 0;
  int64_t scheduler_step = 0;
  RngState dropout_rng;
  std::string data_loader_position;  // data::LoaderPosition::to_json()
  std::string logging_dir;           // a resumed run keeps appending to the same logs
  std::optional<double> best_eval_loss;
  int64_t skipped_steps = 0;
  uint64_t seed = 0;  // the run's resolved seed (a clock seed is reused on resume)
  // Fingerprints compared on resume.
  std::string config_hash;
  std::string tokenizer_hash;
  std::string train_data_hash;  // the training samples' token ids; "" in older checkpoints
  nlohmann::json batch_geometry;
  std::vector<std::string> model_signature;

  nlohmann::json to_json() const;
  // `origin` names the file in errors.
  static TrainerState from_json(const nlohmann::json& j, const std::string& origin);
  // Parses trainer_state.json's text with the nesting limit of core/json_parse.h: copying or
  // comparing a deeply nested batch_geometry would otherwise overflow the stack.
  static TrainerState from_text(std::string_view text, const std::string& origin);
};

// A fingerprint of the training samples' token ids, in order (16 hex digits): resuming on other
// data would silently continue a different run.
std::string train_data_fingerprint(const data::SampleSet& samples);

// Throws fg::Error explaining each mismatch between a checkpoint and the current run.
void check_resume_compatible(const TrainerState& saved, const TrainerState& current,
                             const std::string& checkpoint);

}  // namespace fg::train
