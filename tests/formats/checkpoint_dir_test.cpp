#include "formats/checkpoint_dir.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/file_io.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

// Content derived from the step, so a reader can tell a complete file from a torn one.
std::string payload(int64_t step, size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((step * 31 + i * 7) & 0xFF);
  return s;
}

CheckpointInfo save(const CheckpointDirectory& dir, int64_t step, size_t size = 1000) {
  PendingCheckpoint p = dir.begin(step);
  p.write_text("model.safetensors", payload(step, size));
  p.write_text("state/trainer_state.json", "{\"global_step\": " + std::to_string(step) + "}");
  return p.commit();
}

std::vector<int64_t> steps(const std::vector<CheckpointInfo>& v) {
  std::vector<int64_t> out;
  for (const auto& c : v) out.push_back(c.step);
  return out;
}

TEST(CheckpointDirectory, CommitMakesACompleteCheckpoint) {
  TempDir tmp;
  CheckpointDirectory dir(tmp / "out" / "checkpoints");
  EXPECT_FALSE(dir.latest().has_value());
  CheckpointInfo info = save(dir, 500);
  EXPECT_EQ(info.path, dir.root() / "checkpoint-500");
  EXPECT_TRUE(fs::exists(info.path / kCheckpointMarker));
  EXPECT_EQ(read_file_text(info.path / "model.safetensors"), payload(500, 1000));
  EXPECT_EQ(read_file_text(info.path / "state/trainer_state.json"), "{\"global_step\": 500}");
  EXPECT_EQ(steps(dir.list()), std::vector<int64_t>{500});
  // No temporary debris is left behind.
  for (const auto& e : fs::directory_iterator(dir.root())) {
    EXPECT_EQ(e.path().filename(), "checkpoint-500");
  }
}

TEST(CheckpointDirectory, LatestIsByStepNumberNotMtime) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  save(dir, 900);
  save(dir, 1000);
  save(dir, 20);
  // Make the oldest step the most recently modified.
  fs::last_write_time(dir.root() / "checkpoint-20",
                      fs::file_time_type::clock::now() + std::chrono::hours(1));
  EXPECT_EQ(dir.latest()->step, 1000);
  EXPECT_EQ(steps(dir.list()), (std::vector<int64_t>{20, 900, 1000}));
}

TEST(CheckpointDirectory, IgnoresIncompleteAndForeignEntries) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  save(dir, 10);
  fs::create_directory(dir.root() / "checkpoint-30");  // no marker (crash before the marker)
  fs::create_directory(dir.root() / "checkpoint-x1");
  fs::create_directory(dir.root() / "checkpoint-");
  write_file_atomic(dir.root() / "checkpoint-40", "a file, not a dir");
  CheckpointInfo c = save(dir, 20);
  EXPECT_EQ(dir.latest()->step, 20);
  // A marker whose listed file lost bytes, or naming another step, is not complete.
  write_file_atomic(c.path / "model.safetensors", "short");
  EXPECT_EQ(dir.latest()->step, 10);
  EXPECT_EQ(dir.list_incomplete(),
            (std::vector<fs::path>{dir.root() / "checkpoint-20", dir.root() / "checkpoint-30"}));
  fs::rename(dir.root() / "checkpoint-10", dir.root() / "checkpoint-11");
  EXPECT_FALSE(dir.latest().has_value());
}

TEST(CheckpointDirectory, ResavingAStepReplacesIt) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  save(dir, 100, 10);
  save(dir, 100, 20);
  EXPECT_EQ(read_file_text(dir.root() / "checkpoint-100" / "model.safetensors"), payload(100, 20));
  EXPECT_EQ(steps(dir.list()), std::vector<int64_t>{100});
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.root()), fs::directory_iterator()), 1);
}

TEST(CheckpointDirectory, RotationKeepsTheNewestAndTheProtectedOne) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  for (int64_t s : {100, 200, 300, 400}) save(dir, s);
  EXPECT_TRUE(dir.rotate(0).empty());
  EXPECT_EQ(dir.rotate(3).size(), 1u);
  EXPECT_EQ(steps(dir.list()), (std::vector<int64_t>{200, 300, 400}));
  dir.rotate(2, /*protect_step=*/200);
  EXPECT_EQ(steps(dir.list()), (std::vector<int64_t>{200, 400}));
  dir.rotate(1, /*protect_step=*/400);
  EXPECT_EQ(steps(dir.list()), (std::vector<int64_t>{400}));
  dir.rotate(1, /*protect_step=*/200);
  EXPECT_EQ(steps(dir.list()), (std::vector<int64_t>{400}));  // newest is never deleted
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.root()), fs::directory_iterator()), 1);
}

TEST(CheckpointDirectory, AbandonedPendingCheckpointIsRemoved) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  fs::path pending_dir;
  {
    PendingCheckpoint p = dir.begin(5);
    pending_dir = p.dir();
    p.write_text("a.bin", "x");
    EXPECT_THROW(p.write_text("../escape", "x"), Error);
    EXPECT_THROW(p.write_text("/abs", "x"), Error);
    EXPECT_TRUE(fs::exists(pending_dir));
  }
  EXPECT_FALSE(fs::exists(pending_dir));
  EXPECT_FALSE(dir.latest().has_value());
  EXPECT_THROW(dir.begin(-1), Error);
}

// Runs `child` in a forked process and SIGKILLs it `delay` after it first writes a byte to the
// pipe it is given; returns the dead child's pid.
template <class Fn>
pid_t run_and_kill(Fn child, std::chrono::milliseconds delay) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    try {
      child(fds[1]);
    } catch (...) {
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  char c;
  EXPECT_EQ(::read(fds[0], &c, 1), 1);
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  ::close(fds[0]);
  return pid;
}

void signal_parent(int fd) {
  char c = 'x';
  (void)!::write(fd, &c, 1);
}

TEST(CheckpointDirectory, KillDuringSaveKeepsPreviousCheckpointAndStartupCleansUp) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  save(dir, 10);
  pid_t pid = run_and_kill(
      [&](int signal_fd) {
        PendingCheckpoint p = dir.begin(20);
        p.write_text("model.safetensors", payload(20, 1 << 20));
        signal_parent(signal_fd);
        ::pause();  // killed here, mid-save
      },
      std::chrono::milliseconds(0));
  fs::path debris = dir.root() / (".tmp-checkpoint-20-" + std::to_string(pid));
  EXPECT_TRUE(fs::exists(debris));
  EXPECT_EQ(dir.latest()->step, 10);
  EXPECT_EQ(read_file_text(dir.latest()->path / "model.safetensors"), payload(10, 1000));

  CheckpointDirectory restarted(tmp.path());
  EXPECT_EQ(restarted.remove_stale_temps(), std::vector<fs::path>{debris});
  EXPECT_FALSE(fs::exists(debris));
  EXPECT_EQ(restarted.latest()->step, 10);
}

TEST(CheckpointDirectory, KillAtARandomMomentNeverLeavesATornCheckpoint) {
  TempDir tmp;
  CheckpointDirectory dir(tmp.path());
  for (int trial = 0; trial < 3; ++trial) {
    run_and_kill(
        [&](int signal_fd) {
          for (int64_t s = 1;; ++s) {
            save(dir, trial * 100000 + s, 4096 + static_cast<size_t>(s % 7) * 1000);
            if (s == 1) signal_parent(signal_fd);  // killed some time after the first commit
            dir.rotate(2);
          }
        },
        std::chrono::milliseconds(5 + 20 * trial));
    dir.remove_stale_temps();
    for (const CheckpointInfo& c : dir.list()) {
      std::string model = read_file_text(c.path / "model.safetensors");
      EXPECT_EQ(model, payload(c.step, 4096 + static_cast<size_t>((c.step % 100000) % 7) * 1000))
          << c.path;
    }
    for (const auto& e : fs::directory_iterator(dir.root())) {
      EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << e.path();
    }
  }
  EXPECT_TRUE(dir.latest().has_value());
}

// Hostile checkpoint directories: the root or its parts are files, FIFOs, or a marker that lists
// files outside the checkpoint. Each is an IoError naming the path, or a checkpoint that does
// not count.
TEST(HostileCheckpointDir, RootThatIsAFile) {
  TempDir tmp;
  write_file_atomic(tmp / "checkpoints", std::string_view("x"));
  try {
    CheckpointDirectory dir(tmp / "checkpoints");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(
        std::string(e.what()).find("[Checkpoint] cannot create checkpoints directory '" +
                                   (tmp / "checkpoints").string() + "': it exists and is a file"),
        std::string::npos)
        << e.what();
  }
}

TEST(HostileCheckpointDir, RootUnderProc) {
  try {
    CheckpointDirectory dir("/proc/fg_no_such_dir/checkpoints");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'/proc' does not allow creating entries"),
              std::string::npos)
        << e.what();
  }
}

TEST(HostileCheckpointDir, MarkerListingAFileOutsideIsIncomplete) {
  TempDir tmp;
  CheckpointDirectory dir(tmp / "checkpoints");
  CheckpointInfo c = save(dir, 3);
  write_file_atomic(tmp / "outside", std::string_view("abc"));
  write_file_atomic(c.path / kCheckpointMarker,
                    std::string_view(R"({"step": 3, "files": {"../../outside": 3}})"));
  EXPECT_TRUE(dir.list().empty());
  EXPECT_EQ(dir.list_incomplete().size(), 1u);
}

TEST(HostileCheckpointDir, MarkerThatIsAFifoIsIncompleteWithoutBlocking) {
  TempDir tmp;
  CheckpointDirectory dir(tmp / "checkpoints");
  CheckpointInfo c = save(dir, 4);
  fs::remove(c.path / kCheckpointMarker);
  ASSERT_EQ(::mkfifo((c.path / kCheckpointMarker).c_str(), 0644), 0);
  EXPECT_TRUE(dir.list().empty());
}

TEST(HostileCheckpointDir, WritingAFileOverASubdirectoryFile) {
  TempDir tmp;
  CheckpointDirectory dir(tmp / "checkpoints");
  PendingCheckpoint p = dir.begin(5);
  p.write_text("state", "a file");
  try {
    p.write_text("state/trainer_state.json", "{}");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("state': it exists and is a file"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fg::formats
