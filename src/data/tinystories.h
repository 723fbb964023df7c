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

// A source for "train[:10%]", "validation[0:500]", ... ("valid" is an alias of "validation").
DataSourceOptions tinystories_source(const std::string& split_spec,
                                     const TinyStoriesOptions& options);

}  // namespace fg::data
