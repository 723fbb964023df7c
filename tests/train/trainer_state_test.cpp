// Hostile trainer_state.json text (train/trainer_state.h, from_text): refused with the file
// named and what was expected, before a deep value can overflow the stack.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "train/trainer_state.h"

namespace fg::train {
namespace {

std::string state_with_geometry(const std::string& geometry) {
  return R"({"global_step": 3, "scheduler_step": 3, "dropout_rng": {"seed": 1, "counter": 2},
    "data_loader_position": "{}", "config_hash": "c", "tokenizer_hash": "t",
    "model_signature": ["w:F32[2]"], "batch_geometry": )" +
         geometry + "}";
}

struct StateCase {
  const char* name;
  std::string text;
  std::string expected;  // a substring of the message
};

class HostileTrainerState : public testing::TestWithParam<StateCase> {};

TEST_P(HostileTrainerState, IsRefusedNamingTheFile) {
  try {
    TrainerState::from_text(GetParam().text, "ckpt/trainer_state.json");
    FAIL() << "accepted " << GetParam().name;
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ckpt/trainer_state.json"), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Texts, HostileTrainerState,
    testing::Values(StateCase{"deep_batch_geometry",
                              state_with_geometry(std::string(5000, '[') + std::string(5000, ']')),
                              "nesting too deep"},
                    StateCase{"not_an_object", "[1, 2, 3]", "expected a JSON object, found array"},
                    StateCase{"missing_step", R"({"scheduler_step": 1})", "invalid trainer state"},
                    StateCase{"step_is_text", state_with_geometry("{}").replace(16, 1, "\"x\""),
                              "global_step: expected an integer, found string \"x\""},
                    StateCase{"step_is_huge_float",
                              state_with_geometry("{}").replace(16, 1, "1e300"),
                              "global_step: expected an integer, found number 1e+300"},
                    StateCase{"step_is_negative", state_with_geometry("{}").replace(16, 1, "-4"),
                              "global_step: expected an integer in [0, 9223372036854775807]"},
                    StateCase{"seed_is_negative", state_with_geometry("{}").replace(64, 1, "-1"),
                              "dropout_rng.seed: expected an integer in [0,"},
                    StateCase{"truncated", state_with_geometry("{").substr(0, 40), "invalid JSON"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TrainerStateText, ValidTextRoundTrips) {
  const TrainerState s = TrainerState::from_text(state_with_geometry(R"({"batch": 4})"), "x");
  EXPECT_EQ(s.global_step, 3);
  EXPECT_EQ(s.batch_geometry["batch"], 4);
}

}  // namespace
}  // namespace fg::train
