#pragma once
// The on-disk format of a tokenized dataset: a 128-byte header, int64 document offsets
// [num_docs + 1], then the token ids (uint16 when the vocabulary fits, else uint32).
//   header: magic "FGTOKDS1" | u32 version | u32 token_bytes | i64 num_docs | i64 num_tokens |
//           i64 vocab_size | u8 key[32] | u8 checksum[32]
//   (SHA-256 of the whole file with the checksum field zeroed)
// Files are written to a temporary name and renamed, so a reader never sees a half-written one.
#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "data/mapped_file.h"

namespace fg::data {

struct TokenCacheHeader {
  static constexpr char kMagic[9] = "FGTOKDS1";
  static constexpr uint32_t kVersion = 2;
  static constexpr int64_t kSize = 128;
  uint32_t token_bytes = 2;
  int64_t num_docs = 0;
  int64_t num_tokens = 0;
  int64_t vocab_size = 0;
  std::array<uint8_t, 32> key{};
  std::array<uint8_t, 32> checksum{};
};

// Writes documents (flattened ids plus offsets) atomically to `path`.
void write_token_cache(const std::filesystem::path& path, const std::array<uint8_t, 32>& key,
                       int64_t vocab_size, std::span<const int64_t> offsets,
                       std::span<const int32_t> tokens);

// A validated, memory-mapped cache file.
class TokenCache {
 public:
  // Throws fg::IoError saying what is wrong (truncated, bad magic, wrong key, sizes that do not
  // add up, offsets out of order, checksum mismatch) so callers can rebuild.
  TokenCache(const std::filesystem::path& path, const std::array<uint8_t, 32>& expected_key);

  const TokenCacheHeader& header() const { return header_; }
  int64_t num_docs() const { return header_.num_docs; }
  int64_t num_tokens() const { return header_.num_tokens; }
  int64_t doc_begin(int64_t doc) const { return offsets_[doc]; }
  int64_t doc_end(int64_t doc) const { return offsets_[doc + 1]; }
  const int64_t* offsets() const { return offsets_; }
  int32_t token(int64_t flat_index) const {
    return header_.token_bytes == 2
               ? reinterpret_cast<const uint16_t*>(tokens_)[flat_index]
               : static_cast<int32_t>(reinterpret_cast<const uint32_t*>(tokens_)[flat_index]);
  }

 private:
  MappedFile file_;
  TokenCacheHeader header_;
  const int64_t* offsets_ = nullptr;
  const uint8_t* tokens_ = nullptr;
};

}  // namespace fg::data
