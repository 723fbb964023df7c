#include "data/split_source.h"

#include <gtest/gtest.h>

#include "data/synthetic_stories.h"
#include "test_util.h"

namespace fg::data {
namespace {

using testing::expect_error;
using testing::TempDir;

TEST(SplitSource, SyntheticFilesAndTinyStoriesKinds) {
  SplitSourceOptions synthetic;
  EXPECT_EQ(load_split_documents(synthetic, "validation[:3]"), synthetic_split("validation[:3]"));

  TempDir dir("splits");
  dir.write("tr.jsonl", "{\"body\": \"a\"}\n{\"body\": \"b\"}\n{\"body\": \"c\"}\n");
  dir.write("ev.jsonl", "{\"body\": \"z\"}\n");
  SplitSourceOptions files;
  files.kind = "files";
  files.files.text_field = "body";
  files.split_paths = {{"train", {(dir.path() / "tr.jsonl").string()}},
                       {"eval", {(dir.path() / "ev.jsonl").string()}}};
  EXPECT_EQ(load_split_documents(files, "train[1:]"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(load_split_documents(files, "eval"), std::vector<std::string>{"z"});
  expect_error([&] { load_split_documents(files, "evel"); },
               {"[SplitSource]", "unknown split 'evel'", "did you mean 'eval'"});

  SplitSourceOptions ts;
  ts.kind = "tinystories";
  ts.tinystories.local_dir = testing::shared_tinystories();
  EXPECT_EQ(load_split_documents(ts, "validation[:10%]").size(), 24u);
  ts.kind = "tinystory";
  expect_error([&] { load_split_documents(ts, "train"); },
               {"unknown dataset kind 'tinystory'", "did you mean 'tinystories'"});
}

}  // namespace
}  // namespace fg::data
