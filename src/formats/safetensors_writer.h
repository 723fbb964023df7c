#pragma once
// Writes a safetensors file (format: shared/spec/formats.md §2.2) the way the reference writer
// does: tensors sorted by dtype alignment (descending) then name, packed back to back, header
// JSON with "__metadata__" first and tensors in data order, padded with spaces to 8 bytes.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "formats/safetensors_dtype.h"

namespace fg::formats {

class SafetensorsWriter {
 public:
  // Adds a tensor. `data` is referenced, not copied: it must stay alive until write() or
  // serialize() returns. Throws fg::Error on a duplicate or empty name, a negative dim, or a
  // byte size that does not match shape x dtype.
  void add(const std::string& name, SafetensorsDtype dtype, const std::vector<int64_t>& shape,
           std::span<const std::byte> data);
  void add_f32(const std::string& name, const std::vector<int64_t>& shape,
               std::span<const float> values);
  void add_i64(const std::string& name, const std::vector<int64_t>& shape,
               std::span<const int64_t> values);

  // String metadata ("__metadata__"). "format": "pt" is written unless set here, because
  // older transformers versions reject files without it.
  void set_metadata(const std::string& key, const std::string& value);
  // Writes no "__metadata__" unless set_metadata() was called (the reference's plain save()).
  void omit_default_format() { default_format_ = false; }

  // The whole file as bytes.
  std::vector<std::byte> serialize() const;
  // Writes to a temporary file, fsyncs and renames over `path` (atomic replace).
  void write(const std::filesystem::path& path) const;

  // The header JSON (without the 8-byte length and without padding); for tests and debugging.
  std::string header_json() const;
  int64_t data_bytes() const;
  size_t size() const { return tensors_.size(); }

 private:
  struct Pending {
    std::string name;
    SafetensorsDtype dtype;
    std::vector<int64_t> shape;
    std::span<const std::byte> data;
  };
  std::vector<const Pending*> sorted() const;
  std::string padded_header() const;

  std::vector<Pending> tensors_;
  std::map<std::string, std::string> metadata_;
  bool default_format_ = true;
};

}  // namespace fg::formats
