// Weights read from a model directory or a checkpoint must be finite: a NaN or an infinity in
// any tensor is refused with the file, the tensor and the element named.
#include "train/model_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../formats/temp_dir.h"
#include "core/error.h"
#include "formats/safetensors_writer.h"
#include "tiny_model.h"

namespace fg::train {
namespace {

std::unique_ptr<nn::CausalLM> small_model() {
  TinyModelSpec spec;
  spec.hidden = 8;
  spec.heads = 2;
  spec.layers = 1;
  spec.feedforward = 16;
  spec.vocab = 20;
  return tiny_model(spec);
}

struct PoisonCase {
  std::string name;
  bool last_tensor;  // poison the last state-dict tensor instead of the first
  int64_t element;   // -1: the last element
  float value;
  std::string shown;  // how the value is printed
};

void PrintTo(const PoisonCase& c, std::ostream* os) {
  *os << c.name;
}

class HostileModelWeights : public ::testing::TestWithParam<PoisonCase> {};

TEST_P(HostileModelWeights, NonFiniteWeightIsRefusedNamingTensorAndFile) {
  const PoisonCase& c = GetParam();
  formats::testing::TempDir dir;
  auto model = small_model();
  nn::StateDict state = model->state_dict();
  const auto& [poisoned_name, poisoned] = c.last_tensor ? state.back() : state.front();
  std::vector<float> values(poisoned.data<float>(), poisoned.data<float>() + poisoned.numel());
  const int64_t at = c.element < 0 ? poisoned.numel() - 1 : c.element;
  values[static_cast<size_t>(at)] = c.value;

  formats::SafetensorsWriter writer;
  for (const auto& [name, t] : state) {
    const bool hit = name == poisoned_name;
    writer.add_f32(name, t.shape(),
                   hit ? std::span<const float>(values)
                       : std::span<const float>(t.data<float>(), static_cast<size_t>(t.numel())));
  }
  const auto path = dir / "model.safetensors";
  writer.write(path);

  auto fresh = small_model();
  std::string message;
  try {
    load_model_weights(*fresh, path);
  } catch (const IoError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("[load_model_weights] '" + path.string() + "'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("tensor '" + poisoned_name + "' holds a non-finite value (" + c.shown +
                         ") at element " + std::to_string(at)),
            std::string::npos)
      << message;
}

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

INSTANTIATE_TEST_SUITE_P(
    Weights, HostileModelWeights,
    ::testing::Values(PoisonCase{"NanInFirstTensor", false, 0, kNaN, "nan"},
                      PoisonCase{"InfInFirstTensor", false, 3, kInf, "inf"},
                      PoisonCase{"NegativeInfInFirstTensor", false, -1, -kInf, "-inf"},
                      PoisonCase{"NanInLastTensor", true, -1, kNaN, "nan"},
                      PoisonCase{"InfInLastTensor", true, 0, kInf, "inf"},
                      PoisonCase{"NegativeNanInLastTensor", true, 1, -kNaN, "-nan"}),
    [](const auto& info) { return info.param.name; });

TEST(HostileModelWeightsInMemory, FindNonFiniteWeightNamesTheFirst) {
  auto model = small_model();
  EXPECT_FALSE(find_non_finite_weight(*model).has_value());
  auto [name, t] = model->state_dict().back();
  t.data<float>()[2] = kInf;
  const auto found = find_non_finite_weight(*model);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, "weight '" + name + "' holds inf at element 2");
}

}  // namespace
}  // namespace fg::train
