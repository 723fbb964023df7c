#pragma once
// Sharded safetensors as transformers and Forgather HEAD write them (spec-ml §5.10):
//   <dir>/model.safetensors.index.json + <dir>/model-00001-of-0000N.safetensors ...
// and a reader that opens either that layout or a single <dir>/model.safetensors.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/safetensors_file.h"
#include "formats/safetensors_index.h"
#include "formats/safetensors_writer.h"

namespace fg::formats {

inline constexpr int64_t kDefaultMaxShardBytes = int64_t{4} << 30;  // 4 GiB, as HEAD

class ShardedSafetensorsWriter {
 public:
  // As SafetensorsWriter::add: `data` must stay alive until write() returns.
  void add(const std::string& name, SafetensorsDtype dtype, const std::vector<int64_t>& shape,
           std::span<const std::byte> data);
  void add_f32(const std::string& name, const std::vector<int64_t>& shape,
               std::span<const float> values);
  void set_metadata(const std::string& key, const std::string& value);

  // Fills shards in insertion order, starting a new one when the next tensor would exceed
  // max_shard_bytes (a larger tensor gets a shard of its own). Writes every shard and then the
  // index, each atomically. Returns the index written.
  SafetensorsIndex write(const std::filesystem::path& dir, const std::string& prefix = "model",
                         int64_t max_shard_bytes = kDefaultMaxShardBytes) const;

 private:
  struct Entry {
    std::string name;
    SafetensorsDtype dtype;
    std::vector<int64_t> shape;
    std::span<const std::byte> data;
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

// Name -> tensor over all shards of a checkpoint directory.
class SafetensorsCheckpoint {
 public:
  // Opens <dir>/<prefix>.safetensors.index.json and its shards, or else <dir>/<prefix>.safetensors.
  // Throws fg::IoError if neither exists, a shard is missing, the index names a tensor its shard
  // lacks, or a shard holds a tensor the index does not list.
  static SafetensorsCheckpoint open(const std::filesystem::path& dir,
                                    const std::string& prefix = "model");

  std::vector<std::string> names() const;  // sorted
  bool contains(const std::string& name) const { return where_.count(name) != 0; }
  const SafetensorsTensor& at(const std::string& name) const;
  std::vector<float> read_f32(const std::string& name) const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::map<std::string, const SafetensorsFile*> where_;
};

}  // namespace fg::formats
