#include "train/training_arguments.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/parse_number.h"

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
  EXPECT_NE(error_of({{"per_device_train_batch_size", 0}}).find("expected an integer in [1, "),
            std::string::npos);
  EXPECT_NE(error_of({{"lr_scheduler_type", "cosin"}}).find("did you mean 'cosine'"),
            std::string::npos);
  EXPECT_NE(error_of(json::array()).find("expected a mapping"), std::string::npos);
}

TEST(TrainingArguments, LargeIntegersAreExact) {
  const auto a = TrainingArguments::from_json({{"max_steps", 1000000000000000000}});
  EXPECT_EQ(a.max_steps, 1000000000000000000);
  EXPECT_EQ(TrainingArguments::from_json({{"max_steps", "9223372036854775807"}}).max_steps,
            kInt64Max);
  EXPECT_EQ(TrainingArguments::from_json({{"max_steps", 3.0}}).max_steps, 3);
}

struct BadArgument {
  const char* name;
  json value;  // {key: value}
  const char* message;
};

class HostileTrainingArguments : public ::testing::TestWithParam<BadArgument> {};

TEST_P(HostileTrainingArguments, RefusedNamingKeyAndRange) {
  const BadArgument& c = GetParam();
  const std::string msg = error_of(c.value);
  const std::string key = c.value.begin().key();
  EXPECT_NE(msg.find("at '" + key + "'"), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.message), std::string::npos) << msg;
}

const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

INSTANTIATE_TEST_SUITE_P(
    Table, HostileTrainingArguments,
    ::testing::Values(
        BadArgument{"NegativeMaxSteps", {{"max_steps", -5}}, "expected an integer >= -1, found -5"},
        BadArgument{"FractionalMaxStepsString", {{"max_steps", "2.5"}}, "expected an integer"},
        BadArgument{"MaxStepsBeyondInt64",
                    {{"max_steps", 18446744073709551615ull}},
                    "expected an integer (64-bit), found 18446744073709551615"},
        BadArgument{"TwentyDigitString",
                    {{"max_steps", "12345678901234567890"}},
                    "expected an integer (64-bit)"},
        BadArgument{"HugeFloatMaxSteps", {{"max_steps", 1e300}}, "expected an integer (64-bit)"},
        BadArgument{"LearningRateOverflowString",
                    {{"learning_rate", "1e999"}},
                    "expected a number, found \"1e999\""},
        BadArgument{"LearningRateNaNString", {{"learning_rate", "nan"}}, "expected a number"},
        BadArgument{
            "LearningRateInfinite", {{"learning_rate", kInf}}, "expected a finite number >= 0"},
        BadArgument{"LearningRateNaN", {{"learning_rate", kNaN}}, "expected a finite number >= 0"},
        BadArgument{"NegativeLearningRate",
                    {{"learning_rate", -1}},
                    "expected a finite number >= 0, found -1"},
        BadArgument{"WeightDecayNaN", {{"weight_decay", kNaN}}, "expected a finite number >= 0"},
        BadArgument{"ZeroAdamEpsilon", {{"adam_epsilon", 0}}, "finite positive"},
        BadArgument{"InfiniteGradNorm", {{"max_grad_norm", kInf}}, "must be finite"},
        BadArgument{"NegativeBatch",
                    {{"per_device_train_batch_size", -3}},
                    "expected an integer in [1, 1048576], found -3"},
        BadArgument{
            "HugeBatch", {{"per_device_train_batch_size", 1000000000000}}, "found 1000000000000"},
        BadArgument{"ZeroEvalBatch", {{"per_device_eval_batch_size", 0}}, "found 0"},
        BadArgument{"ZeroAccumulation", {{"gradient_accumulation_steps", 0}}, "found 0"},
        BadArgument{"NegativeEpochs",
                    {{"num_train_epochs", -1}},
                    "expected an integer in [0, 1000000], found -1"},
        BadArgument{"HugeEpochs", {{"num_train_epochs", 1000000000000}}, "found 1000000000000"},
        BadArgument{"NegativeWarmup", {{"warmup_steps", -1}}, "expected an integer >= 0"},
        BadArgument{"WarmupRatioAboveOne", {{"warmup_ratio", 2}}, "must be in [0, 1]"},
        BadArgument{"SeedBelowMinusOne", {{"seed", -2}}, "expected an integer >= -1, found -2"},
        BadArgument{"TooManyWorkers",
                    {{"dataloader_num_workers", 100000}},
                    "expected an integer in [0, 1024]"},
        BadArgument{"NegativeDevice", {{"devices", {-1}}}, "device indices in [0, 1023]"},
        BadArgument{"HugeDevice", {{"devices", {99999999999}}}, "device indices in [0, 1023]"},
        BadArgument{"NegativeSaveLimit", {{"save_total_limit", -5}}, "expected an integer >= -1"},
        BadArgument{"NegativeMaxEvalSteps", {{"max_eval_steps", -7}}, "expected an integer >= -1"},
        BadArgument{"NegativeLoggingSteps", {{"logging_steps", -1}}, "expected an integer >= 0"},
        BadArgument{"NegativeEvalDelay", {{"eval_delay", -1}}, "expected an integer >= 0"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg::train

namespace fg::train {
namespace {

TEST(TrainingArguments, Tf32IsAcceptedAndSaysWhereItApplies) {
  EXPECT_FALSE(TrainingArguments{}.tf32);
  const TrainingArguments a = TrainingArguments::from_json({{"tf32", true}}, "x.yaml");
  EXPECT_TRUE(a.tf32);
  EXPECT_EQ(a.to_json().at("tf32"), true);
  EXPECT_NE(error_of({{"tf32", "maybe"}}).find("tf32"), std::string::npos);
  EXPECT_EQ(tf32_description(false, true), "off");
  EXPECT_NE(tf32_description(true, false).find("CUDA devices only"), std::string::npos);
  EXPECT_NE(tf32_description(true, true).find("TF32 tensor cores"), std::string::npos);
}

}  // namespace
}  // namespace fg::train
