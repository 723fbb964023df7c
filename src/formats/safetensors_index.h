#pragma once
// The sharded-model index "model.safetensors.index.json" that transformers writes:
//   {"metadata": {"total_size": <bytes>}, "weight_map": {"<tensor>": "<shard file>", ...}}
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace fg::formats {

struct SafetensorsIndex {
  int64_t total_size = 0;                         // bytes of tensor data over all shards
  std::map<std::string, std::string> weight_map;  // tensor name -> shard file name
};

// Writes atomically; keys sorted (as transformers does).
void write_safetensors_index(const std::filesystem::path& path, const SafetensorsIndex& index);
// Throws fg::IoError naming the file on malformed content (shard names must be plain file names).
SafetensorsIndex read_safetensors_index(const std::filesystem::path& path);

}  // namespace fg::formats
