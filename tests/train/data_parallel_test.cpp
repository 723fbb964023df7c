// The data-parallel helpers that need no second process: loss-token counting, padding to the
// global sequence length, loader positions across world sizes, and a world of one.
#include "train/data_parallel.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace fg::train {
namespace {

data::Batch two_rows() {
  data::Batch b;
  b.batch = 2;
  b.seq = 3;
  b.input_ids = {5, 6, 7, 8, 9, 1};
  b.labels = {5, 6, 7, 8, 9, -100};
  b.attention_mask = {1, 1, 1, 1, 1, 0};
  return b;
}

TEST(DataParallel, CountsShiftedLabelsWithoutIgnoreIndex) {
  // Row 0 predicts 6 and 7; row 1 predicts 9 (its last label is padding).
  EXPECT_EQ(count_loss_tokens(two_rows(), -100), 3);
}

TEST(DataParallel, PadsToTheGlobalSequenceLength) {
  data::Batch b = two_rows();
  pad_batch(b, 5, 1, -100);
  EXPECT_EQ(b.seq, 5);
  EXPECT_EQ(b.input_ids, (std::vector<int64_t>{5, 6, 7, 1, 1, 8, 9, 1, 1, 1}));
  EXPECT_EQ(b.labels, (std::vector<int64_t>{5, 6, 7, -100, -100, 8, 9, -100, -100, -100}));
  EXPECT_EQ(b.attention_mask, (std::vector<int64_t>{1, 1, 1, 0, 0, 1, 1, 0, 0, 0}));
  EXPECT_EQ(count_loss_tokens(b, -100), 3);
  EXPECT_THROW(pad_batch(b, 4, 1, -100), Error);
}

TEST(DataParallel, LoaderPositionCarriesAcrossWorldSizesAtTheSameGlobalBatch) {
  data::LoaderPosition saved;
  saved.epoch = 1;
  saved.index = 7;
  saved.batch_size = 4;
  saved.world_size = 2;
  saved.rank = 0;
  data::LoaderPosition mine = saved;
  mine.batch_size = 8;
  mine.world_size = 1;
  const data::LoaderPosition p = rebase_position(saved, mine);
  EXPECT_EQ(p.index, 7);
  EXPECT_EQ(p.epoch, 1);
  EXPECT_EQ(p.batch_size, 8);
  EXPECT_EQ(p.world_size, 1);
  mine.batch_size = 4;  // global batch 4 against 8
  EXPECT_THROW(rebase_position(saved, mine), Error);
}

TEST(DataParallel, AWorldOfOneIsLocal) {
  dist::SingleProcessCommunicator comm;
  DataParallel dp(comm);
  data::Batch b = two_rows();
  const GlobalBatch g = dp.agree_batch(b, data::CollatorOptions{});
  EXPECT_TRUE(g.rows.is_local());
  EXPECT_EQ(g.global_tokens, 3);
  EXPECT_EQ(g.loss_weight(), 1.0);
  EXPECT_EQ(dp.agree_seed(17), 17u);
  EXPECT_TRUE(dp.any(true));
  EXPECT_NO_THROW(dp.check_same_run("abc"));
}

}  // namespace
}  // namespace fg::train
