#include "formats/safetensors_sharded.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/file_io.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

using testing::TempDir;

TEST(SafetensorsSharded, SplitsByBytesAndReadsBack) {
  TempDir dir;
  std::vector<float> a(10, 1.0f), b(10, 2.0f), c(30, 3.0f), d(2, 4.0f);
  ShardedSafetensorsWriter w;
  w.add_f32("a", {10}, a);
  w.add_f32("b", {2, 5}, b);
  w.add_f32("c", {30}, c);  // 120 bytes: larger than a shard, gets its own
  w.add_f32("d", {2}, d);
  SafetensorsIndex index = w.write(dir.path(), "model", 80);
  EXPECT_EQ(index.total_size, 4 * (10 + 10 + 30 + 2));
  EXPECT_EQ(index.weight_map.at("a"), "model-00001-of-00003.safetensors");
  EXPECT_EQ(index.weight_map.at("b"), "model-00001-of-00003.safetensors");
  EXPECT_EQ(index.weight_map.at("c"), "model-00002-of-00003.safetensors");
  EXPECT_EQ(index.weight_map.at("d"), "model-00003-of-00003.safetensors");
  EXPECT_TRUE(std::filesystem::exists(dir / "model.safetensors.index.json"));

  SafetensorsCheckpoint ck = SafetensorsCheckpoint::open(dir.path());
  EXPECT_EQ(ck.names(), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(ck.read_f32("c"), c);
  EXPECT_EQ(ck.at("b").shape, (std::vector<int64_t>{2, 5}));
  EXPECT_THROW(ck.at("e"), IoError);
}

TEST(SafetensorsSharded, SingleFileLayoutAndDefaultOneShard) {
  TempDir dir;
  std::vector<float> a = {1, 2};
  SafetensorsWriter single;
  single.add_f32("w", {2}, a);
  single.write(dir / "model.safetensors");
  EXPECT_EQ(SafetensorsCheckpoint::open(dir.path()).read_f32("w"), a);

  TempDir dir2;
  ShardedSafetensorsWriter w;
  w.add_f32("w", {2}, a);
  w.write(dir2.path());
  EXPECT_TRUE(std::filesystem::exists(dir2 / "model-00001-of-00001.safetensors"));
  EXPECT_EQ(SafetensorsCheckpoint::open(dir2.path()).read_f32("w"), a);
}

TEST(SafetensorsSharded, InconsistentIndexIsAnError) {
  TempDir dir;
  std::vector<float> a = {1, 2};
  ShardedSafetensorsWriter w;
  w.add_f32("w", {2}, a);
  w.add_f32("v", {2}, a);
  w.write(dir.path());
  EXPECT_THROW(SafetensorsCheckpoint::open(dir / "missing"), IoError);
  // Index names a tensor its shard lacks.
  write_file_atomic(dir / "model.safetensors.index.json",
                    R"({"weight_map": {"w": "model-00001-of-00001.safetensors",
                                       "v": "model-00001-of-00001.safetensors",
                                       "x": "model-00001-of-00001.safetensors"}})");
  EXPECT_THROW(SafetensorsCheckpoint::open(dir.path()), IoError);
  // Shard holds a tensor the index does not list.
  write_file_atomic(dir / "model.safetensors.index.json",
                    R"({"weight_map": {"w": "model-00001-of-00001.safetensors"}})");
  EXPECT_THROW(SafetensorsCheckpoint::open(dir.path()), IoError);
  // Missing shard file.
  write_file_atomic(dir / "model.safetensors.index.json",
                    R"({"weight_map": {"w": "model-00002-of-00002.safetensors"}})");
  EXPECT_THROW(SafetensorsCheckpoint::open(dir.path()), IoError);
  ShardedSafetensorsWriter dup;
  dup.add_f32("w", {2}, a);
  EXPECT_THROW(dup.add_f32("w", {2}, a), Error);
  EXPECT_THROW(dup.write(dir.path(), "model", 0), Error);
}

}  // namespace
}  // namespace fg::formats
