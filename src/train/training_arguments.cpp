#include "train/training_arguments.h"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <variant>

#include "core/error.h"
#include "core/parse_number.h"
#include "core/strings.h"

namespace fg::train {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad_value(const std::string& origin, const std::string& key,
                            const std::string& expected, const json& found) {
  throw ConfigError("[TrainingArguments] expected " + expected + ", found " + found.dump(),
                    SourceLocation{origin}, key);
}

double as_double(const std::string& origin, const std::string& key, const json& v) {
  if (v.is_number()) return v.get<double>();
  // The original's YAML reads "3e-4" as a string; accept any complete, finite numeric string.
  if (v.is_string())
    if (auto d = try_parse_double(v.get_ref<const std::string&>())) return *d;
  bad_value(origin, key, "a number", v);
}

int64_t as_int(const std::string& origin, const std::string& key, const json& v) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() <= static_cast<uint64_t>(kInt64Max)) return v.get<int64_t>();
  } else if (v.is_number_integer()) {
    return v.get<int64_t>();
  } else if (v.is_number_float()) {
    // A whole float (2.0) is an integer; beyond 2^53 it no longer says which one.
    const double d = v.get<double>();
    if (std::floor(d) == d && std::abs(d) <= 9007199254740992.0) return static_cast<int64_t>(d);
  } else if (v.is_string()) {
    if (auto i = try_parse_int(v.get_ref<const std::string&>())) return *i;
  }
  bad_value(origin, key, "an integer (64-bit)", v);
}

bool as_bool(const std::string& origin, const std::string& key, const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    std::string s = to_lower(v.get<std::string>());
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  }
  if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1))
    return v.get<int64_t>();
  bad_value(origin, key, "a boolean", v);
}

std::string as_string(const std::string& origin, const std::string& key, const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  bad_value(origin, key, "a string", v);
}

IntervalStrategy as_strategy(const std::string& origin, const std::string& key, const json& v) {
  std::string s = to_lower(as_string(origin, key, v));
  if (s == "no") return IntervalStrategy::No;
  if (s == "steps") return IntervalStrategy::Steps;
  if (s == "epoch") return IntervalStrategy::Epoch;
  bad_value(origin, key, "one of \"no\", \"steps\", \"epoch\"", v);
}

// One field: how to read it from JSON and how to write it back.
struct Field {
  std::string name;
  std::function<void(TrainingArguments&, const std::string&, const json&)> read;
  std::function<json(const TrainingArguments&)> write;
};

template <class T>
using Member = T TrainingArguments::*;

Field int_field(std::string name, Member<int64_t> m) {
  std::string key = name;
  return {std::move(name),
          [m, key](TrainingArguments& a, const std::string& o, const json& v) {
            a.*m = as_int(o, key, v);
          },
          [m](const TrainingArguments& a) { return json(a.*m); }};
}
Field double_field(std::string name, Member<double> m) {
  std::string key = name;
  return {std::move(name),
          [m, key](TrainingArguments& a, const std::string& o, const json& v) {
            a.*m = v.is_null() ? 0.0 : as_double(o, key, v);
          },
          [m](const TrainingArguments& a) { return json(a.*m); }};
}
Field bool_field(std::string name, Member<bool> m) {
  std::string key = name;
  return {std::move(name),
          [m, key](TrainingArguments& a, const std::string& o, const json& v) {
            a.*m = as_bool(o, key, v);
          },
          [m](const TrainingArguments& a) { return json(a.*m); }};
}
Field string_field(std::string name, Member<std::string> m) {
  std::string key = name;
  return {std::move(name),
          [m, key](TrainingArguments& a, const std::string& o, const json& v) {
            a.*m = as_string(o, key, v);
          },
          [m](const TrainingArguments& a) { return json(a.*m); }};
}
Field strategy_field(std::string name, Member<IntervalStrategy> m) {
  std::string key = name;
  return {std::move(name),
          [m, key](TrainingArguments& a, const std::string& o, const json& v) {
            a.*m = as_strategy(o, key, v);
          },
          [m](const TrainingArguments& a) { return json(to_string(a.*m)); }};
}

Field resume_field() {
  return {"resume_from_checkpoint",
          [](TrainingArguments& a, const std::string& o, const json& v) {
            if (v.is_boolean()) {
              a.resume_from_checkpoint = v.get<bool>() ? "latest" : "";
            } else {
              a.resume_from_checkpoint = as_string(o, "resume_from_checkpoint", v);
            }
          },
          [](const TrainingArguments& a) { return json(a.resume_from_checkpoint); }};
}

Field devices_field() {
  return {"devices",
          [](TrainingArguments& a, const std::string& o, const json& v) {
            if (!v.is_array()) bad_value(o, "devices", "a list of device indices", v);
            a.devices.clear();
            for (const auto& d : v) {
              const int64_t i = as_int(o, "devices", d);
              if (i < 0 || i > 1023) bad_value(o, "devices", "device indices in [0, 1023]", d);
              a.devices.push_back(static_cast<int>(i));
            }
          },
          [](const TrainingArguments& a) { return json(a.devices); }};
}

const std::vector<Field>& fields() {
  using A = TrainingArguments;
  static const std::vector<Field> table = {
      string_field("output_dir", &A::output_dir),
      string_field("logging_dir", &A::logging_dir),
      int_field("num_train_epochs", &A::num_train_epochs),
      int_field("max_steps", &A::max_steps),
      int_field("per_device_train_batch_size", &A::per_device_train_batch_size),
      int_field("per_device_eval_batch_size", &A::per_device_eval_batch_size),
      int_field("gradient_accumulation_steps", &A::gradient_accumulation_steps),
      double_field("learning_rate", &A::learning_rate),
      double_field("weight_decay", &A::weight_decay),
      double_field("adam_beta1", &A::adam_beta1),
      double_field("adam_beta2", &A::adam_beta2),
      double_field("adam_epsilon", &A::adam_epsilon),
      double_field("max_grad_norm", &A::max_grad_norm),
      string_field("lr_scheduler_type", &A::lr_scheduler_type),
      int_field("warmup_steps", &A::warmup_steps),
      double_field("warmup_ratio", &A::warmup_ratio),
      strategy_field("logging_strategy", &A::logging_strategy),
      int_field("logging_steps", &A::logging_steps),
      bool_field("logging_first_step", &A::logging_first_step),
      strategy_field("eval_strategy", &A::eval_strategy),
      int_field("eval_steps", &A::eval_steps),
      int_field("eval_delay", &A::eval_delay),
      int_field("max_eval_steps", &A::max_eval_steps),
      strategy_field("save_strategy", &A::save_strategy),
      int_field("save_steps", &A::save_steps),
      int_field("save_total_limit", &A::save_total_limit),
      bool_field("save_safetensors", &A::save_safetensors),
      bool_field("save_optimizer_state", &A::save_optimizer_state),
      bool_field("save_scheduler_state", &A::save_scheduler_state),
      bool_field("save_dataset_state", &A::save_dataset_state),
      bool_field("save_rng_state", &A::save_rng_state),
      bool_field("overwrite_output_dir", &A::overwrite_output_dir),
      resume_field(),
      int_field("seed", &A::seed),
      int_field("dataloader_num_workers", &A::dataloader_num_workers),
      bool_field("dataloader_pin_memory", &A::dataloader_pin_memory),
      bool_field("dataloader_drop_last", &A::dataloader_drop_last),
      devices_field(),
      bool_field("bf16", &A::bf16),
      bool_field("tf32", &A::tf32),
  };
  return table;
}

}  // namespace

std::string to_string(IntervalStrategy s) {
  switch (s) {
    case IntervalStrategy::No:
      return "no";
    case IntervalStrategy::Steps:
      return "steps";
    case IntervalStrategy::Epoch:
      return "epoch";
  }
  return "?";
}

std::string precision_description(bool bf16) {
  return bf16 ? "bf16 mixed (bf16 GEMMs with f32 accumulation; f32 master weights, optimizer "
                "state, norms, softmax, losses and checkpoints)"
              : "fp32";
}

std::string tf32_description(bool tf32, bool on_cuda) {
  if (!tf32) return "off";
  return on_cuda ? "on (f32 GEMMs on TF32 tensor cores)"
                 : "on, but it applies to CUDA devices only: this run computes on the CPU in "
                   "exact f32";
}

const std::vector<std::string>& TrainingArguments::known_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& f : fields()) k.push_back(f.name);
    return k;
  }();
  return keys;
}

TrainingArguments TrainingArguments::from_json(const json& object, const std::string& origin) {
  if (!object.is_object()) bad_value(origin, "", "a mapping of training arguments", object);
  TrainingArguments args;
  // "evaluation_strategy" is HF's older spelling of eval_strategy.
  for (const auto& [key, value] : object.items()) {
    const std::string name = key == "evaluation_strategy" ? "eval_strategy" : key;
    const Field* field = nullptr;
    for (const auto& f : fields()) {
      if (f.name == name) field = &f;
    }
    if (!field) {
      throw ConfigError(
          "[TrainingArguments] unknown argument '" + key + "'" + did_you_mean(key, known_keys()),
          SourceLocation{origin}, key);
    }
    field->read(args, origin, value);
  }
  args.validate();
  return args;
}

json TrainingArguments::to_json() const {
  json out = json::object();
  for (const auto& f : fields()) out[f.name] = f.write(*this);
  return out;
}

void TrainingArguments::validate() const {
  auto require = [](bool ok, const std::string& key, const std::string& message) {
    if (!ok) throw ConfigError("[TrainingArguments] " + message, {}, key);
  };
  // Each integer in its range, the message giving the range and the value found.
  auto in_range = [&](int64_t v, const std::string& key, int64_t lo, int64_t hi) {
    require(v >= lo && v <= hi, key,
            "expected " + int_range_str(lo, hi) + ", found " + std::to_string(v));
  };
  auto finite_at_least = [&](double v, const std::string& key, double lo) {
    require(std::isfinite(v) && v >= lo, key,
            "expected " + double_range_str(lo, kDoubleMax) + ", found " + fmt::format("{}", v));
  };
  // Batches and step counts are bounded so that products of them cannot overflow.
  constexpr int64_t kMaxBatch = int64_t{1} << 20;
  constexpr int64_t kMaxEpochs = 1000000;
  in_range(per_device_train_batch_size, "per_device_train_batch_size", 1, kMaxBatch);
  in_range(per_device_eval_batch_size, "per_device_eval_batch_size", 1, kMaxBatch);
  in_range(gradient_accumulation_steps, "gradient_accumulation_steps", 1, kMaxBatch);
  in_range(num_train_epochs, "num_train_epochs", 0, kMaxEpochs);
  in_range(max_steps, "max_steps", -1, kInt64Max);
  require(num_train_epochs > 0 || max_steps > 0, "num_train_epochs",
          "must be positive unless max_steps is set");
  finite_at_least(learning_rate, "learning_rate", 0);
  finite_at_least(weight_decay, "weight_decay", 0);
  require(adam_beta1 >= 0 && adam_beta1 < 1, "adam_beta1", "must be in [0, 1)");
  require(adam_beta2 >= 0 && adam_beta2 < 1, "adam_beta2", "must be in [0, 1)");
  require(std::isfinite(adam_epsilon) && adam_epsilon > 0, "adam_epsilon",
          "must be a finite positive number");
  require(std::isfinite(max_grad_norm), "max_grad_norm", "must be finite (<= 0: no clipping)");
  in_range(warmup_steps, "warmup_steps", 0, kInt64Max);
  require(warmup_ratio >= 0 && warmup_ratio <= 1, "warmup_ratio", "must be in [0, 1]");
  in_range(logging_steps, "logging_steps", 0, kInt64Max);
  in_range(eval_steps, "eval_steps", 0, kInt64Max);
  in_range(eval_delay, "eval_delay", 0, kInt64Max);
  in_range(max_eval_steps, "max_eval_steps", -1, kInt64Max);
  in_range(save_steps, "save_steps", 0, kInt64Max);
  in_range(save_total_limit, "save_total_limit", -1, kInt64Max);
  in_range(seed, "seed", -1, kInt64Max);
  in_range(dataloader_num_workers, "dataloader_num_workers", 0, 1024);
  for (int d : devices) in_range(d, "devices", 0, 1023);
  require(logging_strategy != IntervalStrategy::Steps || logging_steps > 0, "logging_steps",
          "must be positive when logging_strategy is \"steps\"");
  require(eval_strategy != IntervalStrategy::Steps || eval_steps > 0, "eval_steps",
          "must be positive when eval_strategy is \"steps\"");
  require(save_strategy != IntervalStrategy::Steps || save_steps > 0, "save_steps",
          "must be positive when save_strategy is \"steps\"");
  static const std::vector<std::string> schedulers = {"linear", "cosine", "constant",
                                                      "constant_with_warmup"};
  bool known = false;
  for (const auto& s : schedulers) known = known || s == lr_scheduler_type;
  require(known, "lr_scheduler_type",
          "unknown scheduler '" + lr_scheduler_type +
              "', expected one of linear, cosine, constant, "
              "constant_with_warmup" +
              did_you_mean(lr_scheduler_type, schedulers));
}

}  // namespace fg::train
