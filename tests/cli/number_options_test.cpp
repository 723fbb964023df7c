// Numeric flags and --set values through the whole `forgather` command line, run in-process
// with main()'s error handling: each bad value is refused before anything runs, with a message
// naming the flag, the value and the accepted range, and never as an internal error.
#include "cli/number_options.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "forgather_run.h"

namespace fg::cli {
namespace {

const std::string kProject =
    std::string(FG_SOURCE_DIR) + "/examples/external_workspace_example/alibi_glu_project";

struct BadFlag {
  const char* name;
  std::vector<std::string> args;
  const char* message;  // names the flag, the value and the range
};

class HostileCliNumbers : public ::testing::TestWithParam<BadFlag> {
 protected:
  void SetUp() override { setenv("FORGATHER_DATASET", "synthetic", 1); }
  void TearDown() override { unsetenv("FORGATHER_DATASET"); }
};

TEST_P(HostileCliNumbers, RefusedNamingFlagValueAndRange) {
  const BadFlag& c = GetParam();
  const Outcome r = run_forgather(c.args);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

// The model directory does not exist: flags are refused before it is looked at.
std::vector<std::string> generate(std::string flag, std::string value) {
  return {"generate", "/nonexistent/model", flag, value};
}
std::vector<std::string> eval(std::string flag, std::string value) {
  return {"eval", "/nonexistent/model", flag, value};
}
std::vector<std::string> tokenizer_train(std::string flag, std::string value) {
  return {"tokenizer", "train", "--out", "/nonexistent/tok", flag, value};
}
std::vector<std::string> train(std::vector<std::string> tail) {
  std::vector<std::string> args = {"-p", kProject, "-t", "baseline.yaml"};
  args.insert(args.end(), tail.begin(), tail.end());
  return args;
}

INSTANTIATE_TEST_SUITE_P(
    Generate, HostileCliNumbers,
    ::testing::Values(
        BadFlag{"NegativeMaxNewTokens", generate("--max-new-tokens", "-5"),
                "[--max-new-tokens] expected an integer in [0, 1048576], found '-5'"},
        BadFlag{"FractionalMaxNewTokens", generate("--max-new-tokens", "2.5"),
                "found '2.5' (not an integer)"},
        BadFlag{"TwentyDigitMaxNewTokens", generate("--max-new-tokens", "99999999999999999999"),
                "(out of range for a 64-bit integer)"},
        BadFlag{"ScientificMaxNewTokens", generate("--max-new-tokens", "1e3"),
                "[--max-new-tokens] expected an integer in [0, 1048576], found '1e3'"},
        BadFlag{"EmptyMaxNewTokens", generate("--max-new-tokens=", ""),
                "[--max-new-tokens] expected an integer"},
        BadFlag{"NaNTemperature", generate("--temperature", "nan"),
                "[--temperature] expected a number in [1e-06, 1000000], found 'nan'"},
        BadFlag{"OverflowTemperature", generate("--temperature", "1e999"),
                "found '1e999' (out of range for a double)"},
        BadFlag{"NegativeTemperature", generate("--temperature", "-1"), "found '-1'"},
        BadFlag{"ZeroTemperature", generate("--temperature", "0"),
                "[--temperature] expected a number in [1e-06, 1000000], found '0'"},
        BadFlag{"NegativeTopK", generate("--top-k", "-3"),
                "[--top-k] expected an integer >= 0, found '-3'"},
        BadFlag{"FractionalTopK", generate("--top-k", "1.5"), "[--top-k]"},
        BadFlag{"TopPAboveOne", generate("--top-p", "2"),
                "[--top-p] expected a number in [1e-06, 1], found '2'"},
        BadFlag{"InfiniteTopP", generate("--top-p", "inf"), "[--top-p]"},
        BadFlag{"ZeroRepetitionPenalty", generate("--repetition-penalty", "0"),
                "[--repetition-penalty] expected a number in [1e-06, 1000000], found '0'"},
        BadFlag{"NegativeSeed", generate("--seed", "-1"),
                "[--seed] expected an integer >= 0, found '-1'"},
        BadFlag{"SeedBeyond64Bits", generate("--seed", "18446744073709551616"),
                "[--seed] expected an integer >= 0, found '18446744073709551616'"},
        BadFlag{"HexSeed", generate("--seed", "0x2a"), "found '0x2a'"}),
    [](const auto& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    EvalCompareTokenizer, HostileCliNumbers,
    ::testing::Values(
        BadFlag{"ZeroLength", eval("--lengths", "0"),
                "[--lengths] expects comma-separated lengths such as 256,512,1024,2048: expected "
                "an integer in [1, 16777216], found '0'"},
        BadFlag{"WordLength", eval("--lengths", "256,abc"), "found 'abc' in '256,abc'"},
        BadFlag{"HugeLength", eval("--lengths", "99999999999999999999"),
                "(out of range for a 64-bit integer)"},
        BadFlag{"EmptyLength", eval("--lengths", "256,,512"), "found '' in '256,,512'"},
        BadFlag{"FractionalLength", eval("--lengths", "512.5"), "found '512.5' (not an integer)"},
        BadFlag{"ZeroMaxBlocks", eval("--max-blocks", "0"),
                "[--max-blocks] expected an integer >= 1, found '0'"},
        BadFlag{"HugeBatch", eval("--batch", "1000000000000"),
                "[--batch] expected an integer in [1, 65536], found '1000000000000'"},
        BadFlag{"NegativeBatch", eval("--batch", "-1"), "[--batch]"},
        BadFlag{"NegativeExtrapolate",
                {"compare", "/nonexistent/run", "--no-html", "--extrapolate", "-256"},
                "[--extrapolate] expects comma-separated lengths"},
        BadFlag{"ScientificVocab", tokenizer_train("--vocab-size", "1e99"),
                "[--vocab-size] expected an integer in [1, 16777216], found '1e99'"},
        BadFlag{"NegativeVocab", tokenizer_train("--vocab-size", "-1"), "found '-1'"},
        BadFlag{"NegativeThreads", tokenizer_train("--threads", "-2"),
                "[--threads] expected an integer in [0, 1024], found '-2'"},
        BadFlag{"ZeroModelMaxLength", tokenizer_train("--model-max-length", "0"),
                "[--model-max-length] expected an integer in [1, 16777216], found '0'"},
        BadFlag{"FractionalSynthetic", tokenizer_train("--synthetic", "2.5"),
                "[--synthetic] expected an integer in [0, 16777216], found '2.5'"}),
    [](const auto& info) { return std::string(info.param.name); });

// The example's --max-steps is a config-defined (dynamic) option; its values reach the
// training arguments, which check the range.
INSTANTIATE_TEST_SUITE_P(
    TrainAndSet, HostileCliNumbers,
    ::testing::Values(
        BadFlag{"FractionalMaxSteps", train({"train", "--dry-run", "--max-steps", "2.5"}),
                "[--max-steps] expected a 64-bit integer, found '2.5' (not an integer)"},
        BadFlag{"TwentyDigitMaxSteps",
                train({"train", "--dry-run", "--max-steps", "12345678901234567890"}),
                "[--max-steps] expected a 64-bit integer, found '12345678901234567890' (out of "
                "range for a 64-bit integer)"},
        BadFlag{"NegativeMaxSteps",
                train({"construct", "--target", "trainer_args", "--max-steps", "-5"}),
                "at 'max_steps': [TrainingArguments] expected an integer >= -1, found -5"},
        BadFlag{"WordDevice", train({"train", "--dry-run", "-d", "0,x"}),
                "[--devices] expected an integer in [0, 1023], found 'x'"},
        BadFlag{"NegativeDevice", train({"train", "--dry-run", "-d", "-1"}),
                "[--devices] expected an integer in [0, 1023], found '-1'"},
        BadFlag{"OverflowLearningRate",
                train({"--set", "trainer_args.learning_rate=1e999", "construct", "--target",
                       "trainer_args"}),
                "[--set trainer_args.learning_rate] expected a finite number, found '1e999' (out "
                "of range for a double)"},
        BadFlag{"UnderflowLearningRate",
                train({"--set", "trainer_args.learning_rate=1e-999", "construct", "--target",
                       "trainer_args"}),
                "found '1e-999' (out of range for a double)"},
        BadFlag{"TwentyDigitSet",
                train({"--set", "trainer_args.max_steps=99999999999999999999", "construct",
                       "--target", "trainer_args"}),
                "[--set trainer_args.max_steps] expected a 64-bit integer"},
        BadFlag{"NegativeLearningRateSet",
                train({"--set", "trainer_args.learning_rate=-0.5", "construct", "--target",
                       "trainer_args"}),
                "at 'learning_rate': [TrainingArguments] expected a finite number >= 0, found "
                "-0.5"},
        BadFlag{"NaNLearningRateSet",
                train({"--set", "trainer_args.learning_rate=.nan", "construct", "--target",
                       "trainer_args"}),
                "expected a finite number >= 0, found nan"},
        BadFlag{"ZeroBatchSet",
                train({"--set", "trainer_args.per_device_train_batch_size=0", "construct",
                       "--target", "trainer_args"}),
                "at 'per_device_train_batch_size': [TrainingArguments] expected an integer in "
                "[1, 1048576], found 0"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg::cli
