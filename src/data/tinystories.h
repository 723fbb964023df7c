#pragma once
// Finds the TinyStories text files. Lookup order: $FORGATHER_TINYSTORIES (a folder holding
// train.txt/valid.txt, TinyStories-train.txt/-valid.txt or
// TinyStoriesV2-GPT4-train.txt/-valid.txt), then the download cache, then a download from the
// Hugging Face hub (unless offline).
#include <filesystem>
#include <string>

#include "data/text_source.h"

namespace fg::data {

struct TinyStoriesOptions {
  std::filesystem::path local_dir{};  // $FORGATHER_TINYSTORIES; see from_environment()
  std::filesystem::path cache_dir{};  // empty: default_cache_dir()
  bool offline = false;

  static TinyStoriesOptions from_environment();
};

inline constexpr const char* kTinyStoriesBaseUrl =
    "https://huggingface.co/datasets/roneneldan/TinyStories/resolve/main/";

// datasets/roneneldan/tinystories-abridged.yaml (spec §4.1): the first 10% of train in file order,
// the first 500 validation stories for evaluation, the rest of validation for test.
struct TinyStoriesAbridged {
  static constexpr const char* kTrain = "train[:10%]";
  static constexpr const char* kEval = "validation[0:500]";
  static constexpr const char* kTest = "validation[500:]";
};

// A source for "train[:10%]", "validation[0:500]", ... ("valid" is an alias of "validation").
DataSourceOptions tinystories_source(const std::string& split_spec,
                                     const TinyStoriesOptions& options);

}  // namespace fg::data
