#include "train/trainer_state.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/json_parse.h"
#include "core/rng.h"

namespace fg::train {

using json = nlohmann::json;

json TrainerState::to_json() const {
  json j = {{"global_step", global_step},
            {"scheduler_step", scheduler_step},
            {"dropout_rng", {{"seed", dropout_rng.seed}, {"counter", dropout_rng.counter}}},
            {"data_loader_position", data_loader_position},
            {"logging_dir", logging_dir},
            {"skipped_steps", skipped_steps},
            {"seed", seed},
            {"config_hash", config_hash},
            {"tokenizer_hash", tokenizer_hash},
            {"train_data_hash", train_data_hash},
            {"batch_geometry", batch_geometry},
            {"model_signature", model_signature}};
  j["best_eval_loss"] = best_eval_loss ? json(*best_eval_loss) : json(nullptr);
  return j;
}

TrainerState TrainerState::from_json(const json& j, const std::string& origin) {
  try {
    TrainerState s;
    // Integers are range-checked: get<int64_t>() casts 1e300 with undefined behaviour.
    const auto int_at = [&](const json& v, const char* key) {
      return json_int64(v.at(key), origin + ": " + key, 0);
    };
    s.global_step = int_at(j, "global_step");
    s.scheduler_step = int_at(j, "scheduler_step");
    s.dropout_rng.seed = json_uint64(j.at("dropout_rng").at("seed"), origin + ": dropout_rng.seed");
    s.dropout_rng.counter =
        json_uint64(j.at("dropout_rng").at("counter"), origin + ": dropout_rng.counter");
    s.data_loader_position = j.at("data_loader_position").get<std::string>();
    s.logging_dir = j.value("logging_dir", "");
    if (j.contains("skipped_steps")) s.skipped_steps = int_at(j, "skipped_steps");
    if (j.contains("seed")) s.seed = json_uint64(j.at("seed"), origin + ": seed");
    s.config_hash = j.at("config_hash").get<std::string>();
    s.tokenizer_hash = j.at("tokenizer_hash").get<std::string>();
    s.train_data_hash = j.value("train_data_hash", std::string());
    s.batch_geometry = j.at("batch_geometry");
    s.model_signature = j.at("model_signature").get<std::vector<std::string>>();
    if (j.contains("best_eval_loss") && j["best_eval_loss"].is_number())
      s.best_eval_loss = j["best_eval_loss"].get<double>();
    return s;
  } catch (const json::exception& e) {
    throw IoError("[Trainer] " + origin + ": invalid trainer state: " + e.what());
  }
}

TrainerState TrainerState::from_text(std::string_view text, const std::string& origin) {
  const json j = parse_json(text, origin);
  if (!j.is_object())
    throw IoError("[Trainer] " + origin +
                  ": invalid trainer state: expected a JSON object, found " + j.type_name());
  return from_json(j, origin);
}

std::string train_data_fingerprint(const data::SampleSet& samples) {
  uint64_t h = mix64(static_cast<uint64_t>(samples.size()));
  for (int64_t i = 0; i < samples.size(); ++i) {
    const data::Sample s = samples.get(i);
    h = mix64(h ^ static_cast<uint64_t>(s.input_ids.size()));  // sample boundaries count too
    for (int64_t id : s.input_ids) h = mix64(h ^ static_cast<uint64_t>(id));
  }
  return fmt::format("{:016x}", h);
}

void check_resume_compatible(const TrainerState& saved, const TrainerState& current,
                             const std::string& checkpoint) {
  if (saved.model_signature != current.model_signature) {
    std::string detail;
    size_t n = std::min(saved.model_signature.size(), current.model_signature.size());
    for (size_t i = 0; i < n && detail.empty(); ++i) {
      if (saved.model_signature[i] != current.model_signature[i])
        detail = "checkpoint has " + saved.model_signature[i] + ", this model has " +
                 current.model_signature[i];
    }
    if (detail.empty())
      detail = "checkpoint has " + std::to_string(saved.model_signature.size()) +
               " tensors, this model has " + std::to_string(current.model_signature.size());
    throw Error("[Trainer] cannot resume from " + checkpoint + ": the model's shape differs (" +
                detail + ")");
  }
  if (saved.tokenizer_hash != current.tokenizer_hash) {
    throw Error("[Trainer] cannot resume from " + checkpoint +
                ": it was trained with a different tokenizer (fingerprint " +
                saved.tokenizer_hash.substr(0, 12) + " vs " + current.tokenizer_hash.substr(0, 12) +
                ")");
  }
  if (saved.batch_geometry != current.batch_geometry) {
    throw Error("[Trainer] cannot resume from " + checkpoint + ": the batch geometry differs (" +
                saved.batch_geometry.dump() + " vs " + current.batch_geometry.dump() +
                "); resume needs the same batch size, accumulation and sequence settings");
  }
  // After the geometry check: other sample settings change the samples too, and say more.
  if (!saved.train_data_hash.empty() && saved.train_data_hash != current.train_data_hash) {
    throw Error("[Trainer] cannot resume from " + checkpoint +
                ": it was trained on different data (training-sample fingerprint " +
                saved.train_data_hash + " vs " + current.train_data_hash +
                "); resume needs the same training samples");
  }
}

}  // namespace fg::train
