#pragma once
// SYNTHETIC children's stories, generated from a small grammar written for this project (not
// TinyStories text): characters, places, objects, feelings and dialogue, lowercase like
// tinystories-lc. Quickstart and tests train on them offline. Story i of a seed is a pure
// function of (seed, i), so any range can be made in parallel and reproduced exactly.
#include <cstdint>
#include <string>
#include <vector>

namespace fg::data {

struct SyntheticStoryOptions {
  uint64_t seed = 20240601;
  int64_t first = 0;     // index of the first story
  int64_t count = 1000;  // number of stories

  void validate() const;
};

std::string synthetic_story(uint64_t seed, int64_t index);
std::vector<std::string> synthetic_stories(const SyntheticStoryOptions& options);

// The embedded dataset's splits: "train" (stories 0..49,999) and "validation" (1,000 stories
// from index 10,000,000), each sliceable like "train[:10%]". Unknown names throw.
std::vector<std::string> synthetic_split(const std::string& split_spec, uint64_t seed = 20240601);

}  // namespace fg::data
