#include "data/token_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/check.h"
#include "core/checked_fs.h"
#include "data/sha256.h"

namespace fg::data {

namespace fs = std::filesystem;

namespace {

// Byte layout of the header fields.
constexpr int64_t kOffVersion = 8, kOffTokenBytes = 12, kOffDocs = 16, kOffTokens = 24,
                  kOffVocab = 32, kOffKey = 40, kOffChecksum = 72;

template <typename T>
void put(std::vector<uint8_t>& buf, int64_t offset, const T& value) {
  std::memcpy(buf.data() + offset, &value, sizeof(T));
}

template <typename T>
T get(const uint8_t* buf, int64_t offset) {
  T value;
  std::memcpy(&value, buf + offset, sizeof(T));
  return value;
}

std::vector<uint8_t> token_bytes_of(std::span<const int32_t> tokens, uint32_t width) {
  std::vector<uint8_t> out(tokens.size() * width);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (width == 2) {
      uint16_t v = static_cast<uint16_t>(tokens[i]);
      std::memcpy(out.data() + 2 * i, &v, 2);
    } else {
      uint32_t v = static_cast<uint32_t>(tokens[i]);
      std::memcpy(out.data() + 4 * i, &v, 4);
    }
  }
  return out;
}

}  // namespace

void write_token_cache(const fs::path& path, const std::array<uint8_t, 32>& key, int64_t vocab_size,
                       std::span<const int64_t> offsets, std::span<const int32_t> tokens) {
  FG_CHECK(!offsets.empty() && offsets.back() == static_cast<int64_t>(tokens.size()),
           "[TokenCache] expected offsets ending at the token count {}", tokens.size());
  const uint32_t width = vocab_size <= 65536 ? 2 : 4;
  std::vector<uint8_t> body = token_bytes_of(tokens, width);
  std::vector<uint8_t> header(TokenCacheHeader::kSize, 0);
  std::memcpy(header.data(), TokenCacheHeader::kMagic, 8);
  put(header, kOffVersion, TokenCacheHeader::kVersion);
  put(header, kOffTokenBytes, width);
  put(header, kOffDocs, static_cast<int64_t>(offsets.size() - 1));
  put(header, kOffTokens, static_cast<int64_t>(tokens.size()));
  put(header, kOffVocab, vocab_size);
  put(header, kOffKey, key);
  Sha256 hash;  // over the header (checksum field still zero) and everything after it
  hash.update(header.data(), header.size());
  hash.update(offsets.data(), offsets.size_bytes());
  hash.update(body.data(), body.size());
  put(header, kOffChecksum, hash.digest());

  create_directories_checked(path.parent_path(), "TokenCache", "cache directory");
  auto chars = [](const void* p, size_t n) {
    return std::string_view(static_cast<const char*>(p), n);
  };
  write_file_checked(path,
                     {chars(header.data(), header.size()),
                      chars(offsets.data(), offsets.size_bytes()), chars(body.data(), body.size())},
                     "TokenCache");
}

TokenCache::TokenCache(const fs::path& path, const std::array<uint8_t, 32>& expected_key)
    : file_(path) {
  auto fail = [&](const std::string& why) {
    return IoError(fmt::format("[TokenCache] {} is corrupt or stale: {}", path.string(), why));
  };
  const uint8_t* p = file_.data();
  if (file_.size() < TokenCacheHeader::kSize)
    throw fail(fmt::format("{} bytes is shorter than the {}-byte header", file_.size(),
                           TokenCacheHeader::kSize));
  if (std::memcmp(p, TokenCacheHeader::kMagic, 8) != 0) throw fail("bad magic (not a token cache)");
  if (get<uint32_t>(p, kOffVersion) != TokenCacheHeader::kVersion)
    throw fail(fmt::format("version {}, expected {}", get<uint32_t>(p, kOffVersion),
                           TokenCacheHeader::kVersion));
  header_.token_bytes = get<uint32_t>(p, kOffTokenBytes);
  header_.num_docs = get<int64_t>(p, kOffDocs);
  header_.num_tokens = get<int64_t>(p, kOffTokens);
  header_.vocab_size = get<int64_t>(p, kOffVocab);
  header_.key = get<std::array<uint8_t, 32>>(p, kOffKey);
  header_.checksum = get<std::array<uint8_t, 32>>(p, kOffChecksum);
  if (header_.key != expected_key) throw fail("its key does not match the tokenizer and arguments");
  if (header_.token_bytes != 2 && header_.token_bytes != 4)
    throw fail(fmt::format("token width {} bytes", header_.token_bytes));
  // Bounded by the file size first, so the size arithmetic below cannot overflow.
  if (header_.num_docs < 0 || header_.num_tokens < 0 || header_.num_docs >= file_.size() / 8 ||
      header_.num_tokens > file_.size() / header_.token_bytes)
    throw fail(fmt::format("impossible counts ({} documents, {} tokens) for a {}-byte file",
                           header_.num_docs, header_.num_tokens, file_.size()));
  const int64_t expected = TokenCacheHeader::kSize + 8 * (header_.num_docs + 1) +
                           static_cast<int64_t>(header_.token_bytes) * header_.num_tokens;
  if (file_.size() != expected)
    throw fail(fmt::format("{} bytes, expected {} for {} documents and {} tokens", file_.size(),
                           expected, header_.num_docs, header_.num_tokens));
  offsets_ = reinterpret_cast<const int64_t*>(p + TokenCacheHeader::kSize);
  tokens_ = p + TokenCacheHeader::kSize + 8 * (header_.num_docs + 1);
  if (offsets_[0] != 0 || offsets_[header_.num_docs] != header_.num_tokens)
    throw fail("document offsets do not span the tokens");
  for (int64_t i = 0; i < header_.num_docs; ++i)
    if (offsets_[i] > offsets_[i + 1]) throw fail(fmt::format("offset {} is out of order", i));
  std::array<uint8_t, TokenCacheHeader::kSize> header{};
  std::memcpy(header.data(), p, header.size());
  std::fill_n(header.begin() + kOffChecksum, 32, uint8_t{0});
  Sha256 hash;
  hash.update(header.data(), header.size());
  hash.update(p + TokenCacheHeader::kSize,
              static_cast<size_t>(file_.size() - TokenCacheHeader::kSize));
  if (hash.digest() != header_.checksum) throw fail("checksum mismatch");
}

}  // namespace fg::data
