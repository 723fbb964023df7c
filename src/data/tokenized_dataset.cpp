#include "data/tokenized_dataset.h"

#include <omp.h>

#include <algorithm>

#include "core/check.h"
#include "core/checked_fs.h"
#include "data/download.h"
#include "data/sha256.h"

namespace fg::data {

namespace fs = std::filesystem;

std::string TokenizeOptions::key_material() const {
  return fmt::format("fgtok-v1;add_bos={};add_eos={};normalizer=NFC", add_bos, add_eos);
}

std::array<uint8_t, 32> TokenizedDataset::cache_key(const std::vector<std::string>& docs,
                                                    const tokenizer::Tokenizer& tokenizer,
                                                    const TokenizeOptions& options) {
  Sha256 data;
  for (const auto& d : docs) {
    int64_t n = static_cast<int64_t>(d.size());
    data.update(&n, sizeof(n));  // lengths keep document boundaries in the hash
    data.update(d);
  }
  Sha256 key;
  key.update(sha256_hex(tokenizer.fingerprint_material()));
  key.update(options.key_material());
  key.update(data.hex_digest());
  return key.digest();
}

fs::path TokenizedDataset::cache_path(const std::array<uint8_t, 32>& key,
                                      const TokenizeOptions& options) {
  fs::path dir = options.cache_dir.empty() ? default_cache_dir() / "tokenized" : options.cache_dir;
  return dir / (to_hex(key.data(), 12) + ".fgtok");
}

namespace {

// Encodes every document with all cores, in chunks so progress can be reported.
void encode_all(const std::vector<std::string>& docs, const tokenizer::Tokenizer& tok,
                const TokenizeOptions& o, std::vector<int64_t>& offsets,
                std::vector<int32_t>& tokens) {
  const int64_t n = static_cast<int64_t>(docs.size());
  const int threads = o.num_threads > 0 ? static_cast<int>(o.num_threads) : omp_get_max_threads();
  const tokenizer::EncodeOptions eo{o.add_bos, o.add_eos};
  constexpr int64_t kChunk = 4096;
  std::vector<std::vector<int32_t>> encoded(static_cast<size_t>(std::min(n, kChunk)));
  offsets.assign(1, 0);
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t count = std::min(kChunk, n - start);
    std::vector<std::string> errors(static_cast<size_t>(count));
#pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
    for (int64_t i = 0; i < count; ++i) {
      try {
        encoded[static_cast<size_t>(i)] = tok.encode(docs[static_cast<size_t>(start + i)], eo);
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(i)] = e.what();
      }
    }
    for (int64_t i = 0; i < count; ++i) {
      FG_CHECK(errors[static_cast<size_t>(i)].empty(), "[TokenizedDataset] document {}: {}",
               start + i, errors[static_cast<size_t>(i)]);
      const auto& ids = encoded[static_cast<size_t>(i)];
      tokens.insert(tokens.end(), ids.begin(), ids.end());
      offsets.push_back(static_cast<int64_t>(tokens.size()));
    }
    if (o.on_progress) o.on_progress(start + count, n);
  }
}

}  // namespace

TokenizedDataset TokenizedDataset::build(const std::vector<std::string>& docs,
                                         const tokenizer::Tokenizer& tokenizer,
                                         const TokenizeOptions& options) {
  FG_CHECK(!docs.empty(),
           "[TokenizedDataset] expected at least one document, got an empty dataset");
  TokenizedDataset ds;
  const auto key = cache_key(docs, tokenizer, options);
  ds.path_ = cache_path(key, options);
  if (exists_checked(ds.path_, "TokenizedDataset")) {
    try {
      ds.cache_ = std::make_unique<TokenCache>(ds.path_, key);
      ds.loaded_from_cache_ = true;
      return ds;
    } catch (const IoError& e) {
      if (options.on_message) options.on_message(std::string(e.what()) + "; rebuilding it");
      std::error_code ec;
      fs::remove(ds.path_, ec);
      if (ec)
        throw path_error("TokenizedDataset", "replace the cache file", ds.path_, ec.message());
    }
  }
  std::vector<int64_t> offsets;
  std::vector<int32_t> tokens;
  encode_all(docs, tokenizer, options, offsets, tokens);
  write_token_cache(ds.path_, key, tokenizer.vocab_size(), offsets, tokens);
  ds.cache_ = std::make_unique<TokenCache>(ds.path_, key);
  return ds;
}

std::vector<int32_t> TokenizedDataset::document(int64_t doc) const {
  FG_CHECK(doc >= 0 && doc < size(),
           "[TokenizedDataset] expected a document index in [0, {}), got {}", size(), doc);
  std::vector<int32_t> out;
  for (int64_t i = doc_begin(doc); i < doc_end(doc); ++i) out.push_back(token(i));
  return out;
}

}  // namespace fg::data
