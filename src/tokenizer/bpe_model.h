#pragma once
// A Hugging Face `tokenizers` BPE model: a vocabulary, merges by rank, byte fallback to <0xNN>
// pieces and an unknown token. encode_word() reproduces its algorithm exactly (the lowest-rank
// adjacent pair merges first, the leftmost one among equals), so imported tokenizers give the same
// ids as `tokenizers`.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fg::tokenizer {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using PieceIds = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

class BpeModel {
 public:
  struct Merge {
    std::string left, right;
  };
  struct Options {
    std::optional<std::string> unk_token;
    bool fuse_unk = false;
    bool byte_fallback = false;
    bool ignore_merges = false;
  };

  // Throws fg::IoError (prefixed by `origin`) for a merge that names a piece the vocabulary
  // lacks, whose joined piece it lacks or that repeats, and for an unk_token outside it.
  BpeModel(PieceIds vocab, const std::vector<Merge>& merges, Options options,
           const std::string& origin);

  // Appends the ids of one pre-tokenized word (valid UTF-8).
  void encode_word(std::string_view word, std::vector<int32_t>& out) const;

  const PieceIds& vocab() const { return vocab_; }
  size_t merge_count() const { return merges_.size(); }

 private:
  struct Rank {
    int32_t rank;
    int32_t merged;
  };
  static uint64_t pair_key(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
  }
  const Rank* find_merge(int32_t left, int32_t right) const;
  void initial_symbols(std::string_view word, std::vector<int32_t>& ids,
                       std::vector<int32_t>& lengths) const;

  PieceIds vocab_;
  std::unordered_map<uint64_t, Rank> merges_;
  Options options_;
  std::optional<int32_t> unk_id_;
  std::array<int32_t, 256> byte_ids_{};  // <0xNN> ids, -1 where the vocabulary lacks one
};

}  // namespace fg::tokenizer
