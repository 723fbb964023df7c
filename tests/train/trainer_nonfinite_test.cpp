// The non-finite policy in a real run (formats.md §1.5 goal 4): a huge learning rate blows the
// weights up after step 1; later steps are skipped and counted, and the run aborts after the
// limit of consecutive skips with a message naming the step.
#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/json_log.h"
#include "trainer_fixture.h"

namespace fs = std::filesystem;

namespace fg::train {
namespace {

TEST(TrainerNonFinite, SkipsCountsAndAbortsNamingTheStep) {
  TrainerFixture f("nonfinite");
  TrainingArguments a = f.args(20);
  a.learning_rate = 1e30;
  a.warmup_steps = 0;
  a.max_grad_norm = 0;  // no clipping: the first update is lr-sized
  a.eval_strategy = IntervalStrategy::No;
  a.logging_steps = 1;
  a.logging_dir = (f.dir / "logs").string();
  std::string message;
  try {
    Trainer(a, f.inputs()).train();
  } catch (const Error& e) {
    message = e.what();
  }
  // Step 1 is finite and applies the huge update; steps 2..6 are not: the fifth consecutive
  // skip (the guard's limit) aborts at step 6.
  EXPECT_NE(message.find("[Trainer] step 6: loss "), std::string::npos) << message;
  EXPECT_NE(message.find("not finite for 5 consecutive steps; aborting"), std::string::npos)
      << message;

  // The steps before the abort were logged with the running count of skipped updates.
  const auto records = formats::read_json_log(fs::path(a.logging_dir) / "trainer_logs.json");
  std::vector<double> skipped;
  for (const auto& rec : records) skipped.push_back(rec.number("skipped_steps").value_or(0));
  EXPECT_EQ(skipped, (std::vector<double>{0, 1, 2, 3, 4}));
  ASSERT_EQ(records.size(), 5u);
  EXPECT_TRUE(std::isfinite(*records[0].number("loss")));
  EXPECT_FALSE(std::isfinite(records[1].number("loss").value_or(0)));
}

}  // namespace
}  // namespace fg::train
