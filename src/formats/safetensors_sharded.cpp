#include "formats/safetensors_sharded.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"

namespace fg::formats {
namespace fs = std::filesystem;

void ShardedSafetensorsWriter::add(const std::string& name, SafetensorsDtype dtype,
                                   const std::vector<int64_t>& shape,
                                   std::span<const std::byte> data) {
  SafetensorsWriter check;  // validates name, shape and size exactly as the shard writer will
  check.add(name, dtype, shape, data);
  for (const Entry& e : entries_) {
    if (e.name == name) throw Error(fmt::format("[SafetensorsWriter] duplicate tensor '{}'", name));
  }
  entries_.push_back({name, dtype, shape, data});
}

void ShardedSafetensorsWriter::add_f32(const std::string& name, const std::vector<int64_t>& shape,
                                       std::span<const float> values) {
  add(name, SafetensorsDtype::F32, shape, std::as_bytes(values));
}

void ShardedSafetensorsWriter::set_metadata(const std::string& key, const std::string& value) {
  metadata_[key] = value;
}

SafetensorsIndex ShardedSafetensorsWriter::write(const fs::path& dir, const std::string& prefix,
                                                 int64_t max_shard_bytes) const {
  if (max_shard_bytes <= 0) {
    throw Error(
        fmt::format("[SafetensorsWriter] max_shard_bytes must be > 0, got {}", max_shard_bytes));
  }
  std::vector<std::vector<const Entry*>> shards(1);
  int64_t in_shard = 0;
  for (const Entry& e : entries_) {
    int64_t size = static_cast<int64_t>(e.data.size());
    if (!shards.back().empty() && in_shard + size > max_shard_bytes) {
      shards.emplace_back();
      in_shard = 0;
    }
    shards.back().push_back(&e);
    in_shard += size;
  }
  SafetensorsIndex index;
  const size_t n = shards.size();
  for (size_t s = 0; s < n; ++s) {
    std::string file = fmt::format("{}-{:05d}-of-{:05d}.safetensors", prefix, s + 1, n);
    SafetensorsWriter writer;
    for (const auto& [k, v] : metadata_) writer.set_metadata(k, v);
    for (const Entry* e : shards[s]) {
      writer.add(e->name, e->dtype, e->shape, e->data);
      index.weight_map[e->name] = file;
      index.total_size += static_cast<int64_t>(e->data.size());
    }
    writer.write(dir / file);
  }
  // The index last: a reader that finds it finds every shard it names.
  write_safetensors_index(dir / (prefix + ".safetensors.index.json"), index);
  return index;
}

SafetensorsCheckpoint SafetensorsCheckpoint::open(const fs::path& dir, const std::string& prefix) {
  SafetensorsCheckpoint ck;
  ck.dir_ = dir;
  fs::path index_path = dir / (prefix + ".safetensors.index.json");
  fs::path single = dir / (prefix + ".safetensors");
  if (!fs::exists(index_path)) {
    if (!fs::exists(single)) {
      throw IoError(fmt::format("[safetensors] '{}' has neither {} nor {}", dir.string(),
                                index_path.filename().string(), single.filename().string()));
    }
    ck.shards_.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(single)));
    for (const auto& [name, t] : ck.shards_.back()->tensors()) {
      ck.where_[name] = ck.shards_.back().get();
    }
    return ck;
  }
  SafetensorsIndex index = read_safetensors_index(index_path);
  std::map<std::string, const SafetensorsFile*> by_file;
  for (const auto& [name, file] : index.weight_map) {
    if (!by_file.count(file)) {
      ck.shards_.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(dir / file)));
      by_file[file] = ck.shards_.back().get();
    }
    const SafetensorsFile* shard = by_file[file];
    if (!shard->contains(name)) {
      throw IoError(fmt::format("[safetensors] index '{}' maps '{}' to '{}', which lacks it",
                                index_path.string(), name, file));
    }
    ck.where_[name] = shard;
  }
  for (const auto& [file, shard] : by_file) {
    for (const auto& [name, t] : shard->tensors()) {
      if (!index.weight_map.count(name) || index.weight_map[name] != file) {
        throw IoError(
            fmt::format("[safetensors] shard '{}' holds '{}', which index '{}' does not "
                        "map to it",
                        file, name, index_path.string()));
      }
    }
  }
  return ck;
}

std::vector<std::string> SafetensorsCheckpoint::names() const {
  std::vector<std::string> out;
  for (const auto& [name, shard] : where_) out.push_back(name);
  return out;
}

const SafetensorsTensor& SafetensorsCheckpoint::at(const std::string& name) const {
  auto it = where_.find(name);
  if (it == where_.end()) {
    throw IoError(fmt::format("[safetensors] checkpoint '{}' has no tensor '{}'{}", dir_.string(),
                              name, did_you_mean(name, names())));
  }
  return it->second->at(name);
}

std::vector<float> SafetensorsCheckpoint::read_f32(const std::string& name) const {
  at(name);  // the checkpoint-level error for an unknown name
  return where_.at(name)->read_f32(name);
}

}  // namespace fg::formats
