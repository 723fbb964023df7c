#pragma once
// Reads and validates a safetensors file (shared/spec/formats.md §2.2). Every rule of the
// reference reader is enforced, plus duplicate-key rejection; a corrupt or hostile file gives an
// fg::IoError that names the file and the problem, never a crash or a read past the buffer.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "formats/safetensors_dtype.h"

namespace fg::formats {

inline constexpr uint64_t kSafetensorsMaxHeader = 100'000'000;

struct SafetensorsTensor {
  std::string name;
  SafetensorsDtype dtype = SafetensorsDtype::F32;
  std::vector<int64_t> shape;
  int64_t begin = 0;  // data_offsets, relative to the start of the byte buffer; end exclusive
  int64_t end = 0;
  std::span<const std::byte> bytes;  // view into the file; may be unaligned

  int64_t numel() const;
};

class SafetensorsFile {
 public:
  enum class Load { kMap, kRead };

  // Opens and validates `path` (memory-mapped by default). Throws fg::IoError.
  static SafetensorsFile open(const std::filesystem::path& path, Load load = Load::kMap);
  // Validates bytes already in memory; `label` names them in error messages.
  static SafetensorsFile from_bytes(std::vector<std::byte> bytes, std::string label);

  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  ~SafetensorsFile();

  const std::string& label() const { return label_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::map<std::string, SafetensorsTensor>& tensors() const { return tensors_; }
  std::vector<std::string> names() const;  // sorted
  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  // Throws IoError naming the file, with "did you mean" suggestions.
  const SafetensorsTensor& at(const std::string& name) const;

  // Copies of the values (safe for unaligned data); throw IoError if the dtype differs.
  std::vector<float> read_f32(const std::string& name) const;
  std::vector<int64_t> read_i64(const std::string& name) const;
  // Copies the raw bytes into dst, which must have exactly the tensor's byte size.
  void copy_bytes(const std::string& name, std::span<std::byte> dst) const;

 private:
  struct Storage;
  SafetensorsFile(std::unique_ptr<Storage> storage, std::string label);
  void parse();

  std::unique_ptr<Storage> storage_;
  std::string label_;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, SafetensorsTensor> tensors_;
};

}  // namespace fg::formats
