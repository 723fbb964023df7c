#pragma once
// A tokenized dataset cached on disk and memory-mapped. The cache key hashes the tokenizer, the
// preprocessing arguments and the documents, so any change builds a new file; a cache that fails
// validation is reported through on_message and rebuilt, never used.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/token_cache.h"
#include "tokenizer/tokenizer.h"

namespace fg::data {

struct TokenizeOptions {
  bool add_bos = true;              // tiny_2k: [BOS] + BPE(story), no EOS
  bool add_eos = false;             // the block tokenizer (packing) adds both
  int64_t num_threads = 0;          // 0: OpenMP default (all cores)
  std::filesystem::path cache_dir;  // empty: default_cache_dir() / "tokenized"
  std::function<void(int64_t done, int64_t total)> on_progress;  // documents encoded
  std::function<void(const std::string&)> on_message;            // e.g. "rebuilding ..."

  // The arguments that change the cached tokens, as a canonical string for the cache key.
  std::string key_material() const;
};

class TokenizedDataset {
 public:
  // Opens the cached tokens for (docs, tokenizer, options), building them first when missing,
  // stale or corrupt. Throws when `docs` is empty.
  static TokenizedDataset build(const std::vector<std::string>& docs,
                                const tokenizer::Tokenizer& tokenizer,
                                const TokenizeOptions& options);

  int64_t size() const { return cache_->num_docs(); }
  int64_t num_tokens() const { return cache_->num_tokens(); }
  int64_t doc_begin(int64_t doc) const { return cache_->doc_begin(doc); }
  int64_t doc_end(int64_t doc) const { return cache_->doc_end(doc); }
  int32_t token(int64_t flat_index) const { return cache_->token(flat_index); }
  std::vector<int32_t> document(int64_t doc) const;
  const int64_t* offsets() const { return cache_->offsets(); }
  int64_t token_bytes() const { return cache_->header().token_bytes; }
  const std::filesystem::path& path() const { return path_; }
  bool loaded_from_cache() const { return loaded_from_cache_; }

  // The key for these inputs (exposed for tests) and the file it names.
  static std::array<uint8_t, 32> cache_key(const std::vector<std::string>& docs,
                                           const tokenizer::Tokenizer& tokenizer,
                                           const TokenizeOptions& options);
  static std::filesystem::path cache_path(const std::array<uint8_t, 32>& key,
                                          const TokenizeOptions& options);

 private:
  std::unique_ptr<TokenCache> cache_;
  std::filesystem::path path_;
  bool loaded_from_cache_ = false;
};

}  // namespace fg::data
