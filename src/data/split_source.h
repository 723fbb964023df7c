#pragma once
// One call from a dataset description to a split's documents, for the builders:
//   kind "tinystories": TinyStories files (local folder, cache or download), e.g. "train[:10%]";
//   kind "synthetic":   the embedded synthetic stories (offline), e.g. "validation[:200]";
//   kind "files":       named splits mapped to paths (files, globs, directories or URLs).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "data/text_source.h"
#include "data/tinystories.h"

namespace fg::data {

struct SplitSourceOptions {
  std::string kind = "synthetic";  // "tinystories", "synthetic" or "files"
  TinyStoriesOptions tinystories = TinyStoriesOptions::from_environment();
  uint64_t synthetic_seed = 20240601;
  // kind "files": split name -> paths; format, text field, separator and cache come from `files`.
  std::map<std::string, std::vector<std::string>> split_paths;
  DataSourceOptions files;

  void validate() const;
};

// Documents of `split_spec` ("train", "train[:10%]", "validation[0:500]", ...).
std::vector<std::string> load_split_documents(const SplitSourceOptions& options,
                                              const std::string& split_spec);

}  // namespace fg::data
