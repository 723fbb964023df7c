#include "train/training_arguments.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace fg::train {
namespace {

using json = nlohmann::json;

std::string error_of(const json& j) {
  try {
    TrainingArguments::from_json(j, "configs/baseline.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(TrainingArguments, DefaultsMatchTheOriginal) {
  TrainingArguments a;
  EXPECT_EQ(a.per_device_train_batch_size, 16);
  EXPECT_EQ(a.logging_steps, 50);
  EXPECT_EQ(a.save_total_limit, 2);
  EXPECT_DOUBLE_EQ(a.learning_rate, 5e-5);
  EXPECT_EQ(a.eval_strategy, IntervalStrategy::No);
}

TEST(TrainingArguments, ParsesTheBaselineAndCoercesNumericStrings) {
  json j = {{"output_dir", "out"},
            {"per_device_train_batch_size", 8},
            {"learning_rate", "3e-4"},
            {"weight_decay", 0.01},
            {"warmup_steps", 100},
            {"eval_strategy", "steps"},
            {"eval_steps", 200},
            {"save_strategy", "steps"},
            {"resume_from_checkpoint", true},
            {"dataloader_pin_memory", true}};
  auto a = TrainingArguments::from_json(j);
  EXPECT_DOUBLE_EQ(a.learning_rate, 3e-4);
  EXPECT_EQ(a.per_device_train_batch_size, 8);
  EXPECT_EQ(a.eval_strategy, IntervalStrategy::Steps);
  EXPECT_EQ(a.resume_from_checkpoint, "latest");
  // A round trip through JSON keeps every value.
  auto b = TrainingArguments::from_json(a.to_json());
  EXPECT_EQ(b.to_json(), a.to_json());
}

TEST(TrainingArguments, UnknownKeySuggestsTheNearestName) {
  std::string msg = error_of({{"learning_rat", 0.1}});
  EXPECT_NE(msg.find("unknown argument 'learning_rat'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'learning_rate'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("configs/baseline.yaml"), std::string::npos) << msg;
}

TEST(TrainingArguments, BadValuesNameTheKeyAndWhatWasFound) {
  EXPECT_NE(error_of({{"learning_rate", "fast"}})
                .find("at 'learning_rate': [TrainingArguments] "
                      "expected a number, found \"fast\""),
            std::string::npos);
  EXPECT_NE(error_of({{"max_steps", 2.5}}).find("expected an integer"), std::string::npos);
  EXPECT_NE(error_of({{"eval_strategy", "sometimes"}}).find("one of \"no\", \"steps\", \"epoch\""),
            std::string::npos);
  EXPECT_NE(error_of({{"per_device_train_batch_size", 0}}).find("must be positive"),
            std::string::npos);
  EXPECT_NE(error_of({{"lr_scheduler_type", "cosin"}}).find("did you mean 'cosine'"),
            std::string::npos);
  EXPECT_NE(error_of(json::array()).find("expected a mapping"), std::string::npos);
}

}  // namespace
}  // namespace fg::train
