#pragma once
// A read-only memory mapping of a whole file (RAII).
#include <cstdint>
#include <filesystem>

namespace fg::data {

class MappedFile {
 public:
  MappedFile() = default;
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  int64_t size() const { return size_; }

 private:
  void release();
  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
};

}  // namespace fg::data
