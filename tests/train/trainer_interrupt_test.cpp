// Ctrl-C and SIGTERM at the trainer level: the signal arrives at the end of step 1 and the run
// must finish the step, save a checkpoint and leave through fg::Interrupted, which the CLI
// (src/cli/main.cpp) turns into exit code 130 for either signal.
//
// The run happens in a child process. It is a "threadsafe" death test, i.e. a freshly executed
// copy of the test binary: a plain fork() of a process whose OpenMP/BLAS thread pools already
// ran (any earlier test in the same binary) deadlocks in the child. The child delivers the
// signal to itself with raise() from the on_step_end hook, so it is handled, deterministically,
// before the trainer's interrupt check for step 1.
#include <gtest/gtest.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <functional>

#include "core/error.h"
#include "formats/checkpoint_dir.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

// What src/cli/main.cpp returns for an interrupted run (it catches fg::Interrupted first).
constexpr int kInterruptedExitCode = 130;

TrainingArguments interrupt_args(const TrainerFixture& f) {
  TrainingArguments a = f.args(6);
  a.save_steps = 1000;  // only the interrupt saves
  a.eval_strategy = IntervalStrategy::No;
  return a;
}

// The child: trains until interrupted, mapping the outcome to an exit code as the CLI does.
[[noreturn]] void train_until_interrupted(const TrainerFixture& f, const TrainingArguments& a,
                                          std::function<void(int64_t)> on_step_end) {
  try {
    TrainerInputs in = f.inputs();
    in.on_step_end = std::move(on_step_end);
    Trainer(a, std::move(in)).train();
    std::fprintf(stderr, "train() returned without an interrupt\n");
    std::_Exit(3);
  } catch (const Interrupted& e) {  // as src/cli/main.cpp
    std::fprintf(stderr, "forgather: %s\n", e.what());
    std::_Exit(kInterruptedExitCode);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected error: %s\n", e.what());
    std::_Exit(2);
  }
}

void check_interrupt(const std::string& name, int signum) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TrainerFixture f(name);
  EXPECT_EXIT(train_until_interrupted(f, interrupt_args(f),
                                      [signum](int64_t step) {
                                        if (step == 1) std::raise(signum);
                                      }),
              testing::ExitedWithCode(kInterruptedExitCode),
              "\\[Trainer\\] interrupted by signal " + std::to_string(signum) +
                  " at step 1; checkpoint saved");

  // A complete checkpoint at the step reached, and no final model (the run did not finish).
  TrainingArguments a = interrupt_args(f);
  formats::CheckpointDirectory ckpts(fs::path(a.output_dir) / "checkpoints");
  auto latest = ckpts.latest();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->step, 1);
  EXPECT_TRUE(formats::CheckpointDirectory::is_complete(latest->path, 1));
  EXPECT_FALSE(fs::exists(fs::path(a.output_dir) / "model.safetensors"));

  // A fresh trainer resumes from it and runs to max_steps.
  a.resume_from_checkpoint = "latest";
  TrainResult r = Trainer(a, f.inputs(/*model_seed=*/99)).train();
  EXPECT_EQ(r.global_step, 6);
  EXPECT_EQ(r.step_losses.size(), 5u);
  EXPECT_FALSE(r.interrupted);
  EXPECT_TRUE(fs::exists(fs::path(a.output_dir) / "model.safetensors"));
}

TEST(TrainerInterrupt, SigintSavesACheckpointAndExits130ThenResumes) {
  check_interrupt("sigint", SIGINT);
}

TEST(TrainerInterrupt, SigtermSavesACheckpointAndExits130ThenResumes) {
  check_interrupt("sigterm", SIGTERM);
}

// Sends `signum` to this process from another process (as a terminal's Ctrl-C or `kill` does:
// a process-directed signal that any of the process's threads may handle) and waits for it.
void signal_self_from_another_process(int signum) {
  const std::string command = "kill -" + std::to_string(signum) + " " + std::to_string(::getpid());
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  if (::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
    std::_Exit(4);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// The same through a signal sent by another process. Which step sees it depends on when the
// kernel delivers it, so the test accepts any step before the end and checks that the
// checkpoint and the resume agree on it.
TEST(TrainerInterrupt, SigintFromAnotherProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TrainerFixture f("sigint_external");
  TrainingArguments a = interrupt_args(f);
  a.max_steps = 12;
  EXPECT_EXIT(train_until_interrupted(f, a,
                                      [](int64_t step) {
                                        if (step == 1) signal_self_from_another_process(SIGINT);
                                      }),
              testing::ExitedWithCode(kInterruptedExitCode),
              "\\[Trainer\\] interrupted by signal 2 at step [0-9]+; checkpoint saved");

  formats::CheckpointDirectory ckpts(fs::path(a.output_dir) / "checkpoints");
  auto latest = ckpts.latest();
  ASSERT_TRUE(latest.has_value());
  const int64_t reached = latest->step;
  EXPECT_GE(reached, 1);
  EXPECT_LT(reached, 12);
  EXPECT_EQ(ckpts.list().size(), 1u);  // only the interrupt saved
  a.resume_from_checkpoint = "latest";
  TrainResult r = Trainer(a, f.inputs(/*model_seed=*/99)).train();
  EXPECT_EQ(r.global_step, 12);
  EXPECT_EQ(static_cast<int64_t>(r.step_losses.size()), 12 - reached);
}

}  // namespace
}  // namespace fg::train
