// The trainer, generation and evaluation on a device: the sealed test backend (tests/support)
// stands in for a GPU whose memory the host cannot read, so any forgotten host access faults.
// Its kernels are the CPU's, so every figure must equal the CPU run's bit for bit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/sealed_backend.h"
#include "train/generation.h"
#include "train/length_eval.h"
#include "trainer_fixture.h"

namespace fg::train {
namespace {

using test_support::SealedRuntime;
namespace fs = std::filesystem;

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TrainResult train_on(const TrainerFixture& f, Device device, const std::string& out, int64_t steps,
                     const std::string& resume = "", bool dropout = true) {
  TrainingArguments a = f.args(steps);
  a.output_dir = (f.dir / out).string();
  a.save_total_limit = 0;  // keep every checkpoint
  a.resume_from_checkpoint = resume;
  TrainerInputs in = f.inputs(/*model_seed=*/resume.empty() ? 5 : 99, 32, dropout);
  in.device = device;
  return Trainer(a, in).train();
}

TEST(TrainerOnDevice, ASealedRunEqualsTheCpuRunBitForBit) {
  SealedRuntime rt;
  TrainerFixture f("device_equal");
  const TrainResult cpu = train_on(f, Device::cpu(), "cpu", 8);
  rt.sealed().reset_counters();
  const TrainResult sealed = train_on(f, SealedRuntime::device(), "sealed", 8);
  ASSERT_EQ(cpu.step_losses.size(), 8u);
  EXPECT_EQ(sealed.step_losses, cpu.step_losses);
  ASSERT_TRUE(cpu.final_eval_loss.has_value());
  EXPECT_EQ(sealed.final_eval_loss, cpu.final_eval_loss);
  // Saved from host copies: the same bytes whichever device trained.
  for (const char* file : {"model.safetensors", "checkpoints/checkpoint-4/model.safetensors",
                           "checkpoints/checkpoint-4/optimizer.safetensors"})
    EXPECT_EQ(file_bytes(f.dir / "sealed" / file), file_bytes(f.dir / "cpu" / file)) << file;
  // The run really computed on the device, and read it back a bounded number of times per step.
  const test_support::SealedCounters& c = rt.sealed().counters();
  EXPECT_GT(c.copies_from_host, 0);
  EXPECT_GT(c.copies_to_host, 0);
}

TEST(TrainerOnDevice, ResumesExactlyAcrossDevicesBothWays) {
  SealedRuntime rt;
  TrainerFixture f("device_resume");
  const TrainResult cpu = train_on(f, Device::cpu(), "cpu", 8);
  const TrainResult sealed = train_on(f, SealedRuntime::device(), "sealed", 8);
  const std::vector<double> tail(cpu.step_losses.begin() + 4, cpu.step_losses.end());
  // CPU checkpoint -> sealed device, and sealed checkpoint -> CPU (another model seed, so the
  // weights must come from the checkpoint).
  const TrainResult to_device = train_on(f, SealedRuntime::device(), "to_device", 8,
                                         (f.dir / "cpu" / "checkpoints" / "checkpoint-4").string());
  const TrainResult to_host = train_on(
      f, Device::cpu(), "to_host", 8, (f.dir / "sealed" / "checkpoints" / "checkpoint-4").string());
  EXPECT_EQ(to_device.step_losses, tail);
  EXPECT_EQ(to_host.step_losses, tail);
  EXPECT_EQ(file_bytes(f.dir / "to_device" / "model.safetensors"),
            file_bytes(f.dir / "cpu" / "model.safetensors"));
  EXPECT_EQ(file_bytes(f.dir / "to_host" / "model.safetensors"),
            file_bytes(f.dir / "cpu" / "model.safetensors"));
}

TEST(TrainerOnDevice, ADeviceWithoutABackendIsNamed) {
  TrainerFixture f("device_missing");
  TrainerInputs in = f.inputs();
  in.device = Device::cuda(0);  // no SealedRuntime: the default runtime has no cuda backend
  try {
    Trainer t(f.args(2), in);
    FAIL() << "a device without a backend was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cuda:0"), std::string::npos) << e.what();
  }
}

// The same tiny model twice: one on the CPU, one moved to the sealed device.
struct ModelPair {
  TinyModelSpec spec;
  std::unique_ptr<nn::CausalLM> cpu_model = tiny_model(spec);
  std::unique_ptr<nn::CausalLM> dev_model = moved(tiny_model(spec));
  static std::unique_ptr<nn::CausalLM> moved(std::unique_ptr<nn::CausalLM> m) {
    m->to(SealedRuntime::device());
    return m;
  }
};

TEST(GenerationOnDevice, KvCacheTokensEqualTheCpuTokens) {
  SealedRuntime rt;
  auto [spec, cpu_model, dev_model] = ModelPair{};
  for (bool sample : {false, true}) {
    GenerationRequest req;
    req.prompts = {{0, 5, 9, 13}, {0, 7, 7, 1}, {0, 3}};
    req.sampling = sample ? SamplingOptions{} : SamplingOptions::greedy();
    req.sampling.max_new_tokens = 16;
    req.sampling.seed = 3;
    req.use_cache = true;
    const GenerationResult on_cpu = generate(*cpu_model, req);
    rt.sealed().reset_counters();
    const GenerationResult on_dev = generate(*dev_model, req);
    EXPECT_EQ(on_dev.new_tokens, on_cpu.new_tokens) << (sample ? "sampled" : "greedy");
    // One prompt upload and one logits read per decoding step, not per op.
    const int64_t steps = 16 * 2;  // two length groups: {4, 4} and {2}
    EXPECT_LE(rt.sealed().counters().copies_to_host, steps * 4);
  }
}

TEST(LengthEvalOnDevice, LossesEqualTheCpuLosses) {
  SealedRuntime rt;
  auto [spec, cpu_model, dev_model] = ModelPair{};
  std::vector<int64_t> stream;
  for (int64_t i = 0; i < 400; ++i) stream.push_back((i * 7 + i / 5) % spec.vocab);
  LengthEvalOptions o;
  o.lengths = {16, 64};
  o.batch_size = 3;
  const auto on_cpu = evaluate_lengths(*cpu_model, stream, o);
  const auto on_dev = evaluate_lengths(*dev_model, stream, o);
  ASSERT_EQ(on_dev.size(), on_cpu.size());
  for (size_t i = 0; i < on_cpu.size(); ++i) {
    EXPECT_GT(on_cpu[i].blocks, 0);
    EXPECT_EQ(on_dev[i].loss, on_cpu[i].loss);
    EXPECT_EQ(on_dev[i].blocks, on_cpu[i].blocks);
  }
}

TEST(TrainerEvaluateOnDevice, EqualsTheCpu) {
  SealedRuntime rt;
  TrainerFixture f("device_eval");
  TrainerInputs cpu_in = f.inputs(), dev_in = f.inputs();
  dev_in.device = SealedRuntime::device();
  TrainingArguments a = f.args(1);
  const EvalResult cpu = Trainer(a, cpu_in).evaluate();
  const EvalResult dev = Trainer(a, dev_in).evaluate();
  EXPECT_GT(cpu.batches, 0);
  EXPECT_EQ(dev.loss, cpu.loss);
}

}  // namespace
}  // namespace fg::train
