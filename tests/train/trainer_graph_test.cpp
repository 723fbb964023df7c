// The recorded training step (train/step_graph.h) on the sealed backend, whose graph capture
// records kernels without running them, refuses host copies while recording, and runs the
// recording on replay(): the losses must equal the eager CPU run's bit for bit.
#include <gtest/gtest.h>

#include "kernels/cpu/cpu_backend.h"
#include "support/sealed_backend.h"
#include "train/step_graph.h"
#include "trainer_fixture.h"

namespace fg::train {
namespace {

using test_support::SealedRuntime;

TEST(StepGraphMode, RecordsAfterOneEagerStepAndReplaysOnlyTheRecordedShape) {
  StepGraphConditions ok;
  ok.backend_supports_capture = true;
  const Shape s{4, 64}, other{4, 50};
  EXPECT_EQ(step_graph_mode(ok, std::nullopt, s, 0), StepGraphMode::Eager);
  EXPECT_EQ(step_graph_mode(ok, std::nullopt, s, 1), StepGraphMode::Record);
  EXPECT_EQ(step_graph_mode(ok, s, s, 1), StepGraphMode::Replay);
  EXPECT_EQ(step_graph_mode(ok, s, other, 1), StepGraphMode::Eager);
  EXPECT_EQ(step_graph_refusal(ok), "");
}

TEST(StepGraphMode, EachConditionAloneForcesEagerSteps) {
  auto refused = [](StepGraphConditions c) {
    EXPECT_NE(step_graph_refusal(c), "");
    return step_graph_mode(c, Shape{4, 64}, Shape{4, 64}, 5) == StepGraphMode::Eager &&
           step_graph_mode(c, std::nullopt, Shape{4, 64}, 5) == StepGraphMode::Eager;
  };
  StepGraphConditions c;
  c.backend_supports_capture = false;
  EXPECT_TRUE(refused(c));
  c.backend_supports_capture = true;
  c.world_size = 2;
  EXPECT_TRUE(refused(c));
  c.world_size = 1;
  c.gradient_accumulation_steps = 2;
  EXPECT_TRUE(refused(c));
  c.gradient_accumulation_steps = 1;
  c.failed = "recording the step failed (x)";
  EXPECT_TRUE(refused(c));
}

TEST(StepGraphBackend, OnlyABackendWithCaptureSwitchedOnOffersIt) {
  kernels::cpu::CpuBackend cpu;
  EXPECT_EQ(kernels::capability<kernels::GraphCapture>(cpu), nullptr);
  EXPECT_EQ(kernels::graph_capture(cpu), nullptr);
  test_support::SealedBackend sealed;
  EXPECT_EQ(kernels::graph_capture(sealed), nullptr);  // off unless a test turns it on
  sealed.enable_graph_capture(true);
  EXPECT_EQ(kernels::graph_capture(sealed), &sealed);
}

TrainResult run(const TrainerFixture& f, Device device, const std::string& out, bool dropout,
                int64_t* replays = nullptr, std::string* refusal = nullptr, bool bf16 = false) {
  TrainingArguments a = f.args(10);
  a.output_dir = (f.dir / out).string();
  a.bf16 = bf16;
  a.max_grad_norm = 1.0;  // clipping stays eager, between the replay and the optimizer
  TrainerInputs in = f.inputs(5, 32, dropout);
  in.device = device;
  Trainer t(a, in);
  TrainResult r = t.train();
  if (replays) *replays = t.graph_replays();
  if (refusal) *refusal = t.graph_refusal();
  return r;
}

// Trains the fixture on the CPU and on the sealed device with capture on: the device run must
// record once, replay the later steps and equal the CPU run bit for bit. Returns the CPU run.
TrainResult expect_replays_equal_cpu(const TrainerFixture& f, bool dropout, bool bf16) {
  SealedRuntime rt;
  rt.sealed().enable_graph_capture(true);
  const TrainResult cpu = run(f, Device::cpu(), "cpu", dropout, nullptr, nullptr, bf16);
  int64_t replays = 0;
  std::string refusal;
  const TrainResult dev = run(f, SealedRuntime::device(), "dev", dropout, &replays, &refusal, bf16);
  EXPECT_EQ(refusal, "");
  EXPECT_EQ(rt.sealed().counters().captures, 1);
  EXPECT_GT(replays, 1);
  EXPECT_EQ(rt.sealed().counters().replays, replays);
  EXPECT_EQ(dev.step_losses, cpu.step_losses);
  EXPECT_EQ(dev.final_eval_loss, cpu.final_eval_loss);
  return cpu;
}

TEST(TrainerGraph, ReplayedStepsEqualTheEagerCpuRunBitForBit) {
  expect_replays_equal_cpu(TrainerFixture("graph_replay"), /*dropout=*/false, /*bf16=*/false);
}

// Each replay moves the recorded dropout counters on by the stream's advance, so every step
// draws the masks the eager step would (replaying the recorded masks would change the losses).
TEST(TrainerGraph, DropoutStepsReplayWithFreshMasksBitForBit) {
  expect_replays_equal_cpu(TrainerFixture("graph_dropout"), /*dropout=*/true, /*bf16=*/false);
}

// Under bf16 autocast the recording holds the weights' bf16 conversions too: each replay converts
// the weights the optimizer has just written.
TEST(TrainerGraph, Bf16StepsWithDropoutReplayBitForBit) {
  const TrainerFixture f("graph_bf16");
  const TrainResult bf16 = expect_replays_equal_cpu(f, /*dropout=*/true, /*bf16=*/true);
  const TrainResult f32 = run(f, Device::cpu(), "f32", true);
  EXPECT_NE(bf16.step_losses, f32.step_losses) << "the runs must really be in bf16";
}

}  // namespace
}  // namespace fg::train
