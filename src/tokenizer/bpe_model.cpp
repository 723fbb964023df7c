#include "tokenizer/bpe_model.h"

#include <fmt/format.h>

#include <queue>

#include "core/error.h"

namespace fg::tokenizer {

BpeModel::BpeModel(PieceIds vocab, const std::vector<Merge>& merges, Options options,
                   const std::string& origin)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  auto id_of = [&](const std::string& piece, size_t rank, const char* what) {
    auto found = vocab_.find(piece);
    if (found == vocab_.end())
      throw IoError(fmt::format("{}: model.merges[{}]: the {} \"{}\" is not in model.vocab", origin,
                                rank, what, piece));
    return found->second;
  };
  merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const Merge& m = merges[rank];
    const int32_t left = id_of(m.left, rank, "left piece");
    const int32_t right = id_of(m.right, rank, "right piece");
    const int32_t merged = id_of(m.left + m.right, rank, "merged piece");
    // `tokenizers` would silently keep the last rank of a repeated pair; refuse it instead.
    if (!merges_.try_emplace(pair_key(left, right), Rank{static_cast<int32_t>(rank), merged})
             .second)
      throw IoError(fmt::format("{}: model.merges[{}]: the pair \"{}\" \"{}\" appears twice",
                                origin, rank, m.left, m.right));
  }
  if (options_.unk_token) {
    auto found = vocab_.find(*options_.unk_token);
    if (found == vocab_.end())
      throw IoError(fmt::format("{}: model.unk_token \"{}\" is not in model.vocab", origin,
                                *options_.unk_token));
    unk_id_ = found->second;
  }
  for (int b = 0; b < 256; ++b) {
    auto found = vocab_.find(fmt::format("<0x{:02X}>", b));
    byte_ids_[static_cast<size_t>(b)] = found == vocab_.end() ? -1 : found->second;
  }
}

const BpeModel::Rank* BpeModel::find_merge(int32_t left, int32_t right) const {
  auto found = merges_.find(pair_key(left, right));
  return found == merges_.end() ? nullptr : &found->second;
}

// One symbol per character; a character outside the vocabulary becomes its <0xNN> bytes (byte
// fallback, when every byte has a piece) or the unknown token (runs fused when fuse_unk). A
// pending unknown is written only when the next known character comes, exactly as `tokenizers`
// does (so byte-fallback pieces can precede it).
void BpeModel::initial_symbols(std::string_view word, std::vector<int32_t>& ids,
                               std::vector<int32_t>& lengths) const {
  int32_t unk = -1, unk_length = 0;  // the pending unknown token, -1 for none
  auto add = [&](int32_t id, int32_t len) {
    ids.push_back(id);
    lengths.push_back(len);
  };
  size_t i = 0;
  while (i < word.size()) {
    const auto lead = static_cast<uint8_t>(word[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string_view ch = word.substr(i, len);
    i += len;
    if (auto found = vocab_.find(ch); found != vocab_.end()) {
      if (unk >= 0) add(unk, unk_length), unk = -1;
      add(found->second, static_cast<int32_t>(len));
      continue;
    }
    if (options_.byte_fallback) {
      bool all = true;
      for (char b : ch) all = all && byte_ids_[static_cast<uint8_t>(b)] >= 0;
      if (all) {
        for (char b : ch) add(byte_ids_[static_cast<uint8_t>(b)], 1);
        continue;
      }
    }
    if (!unk_id_) continue;  // `tokenizers` drops the character when there is no unk_token
    if (unk >= 0 && options_.fuse_unk) {
      unk_length += static_cast<int32_t>(len);
    } else {
      if (unk >= 0) add(unk, unk_length);
      unk = *unk_id_, unk_length = static_cast<int32_t>(len);
    }
  }
  if (unk >= 0) add(unk, unk_length);
}

void BpeModel::encode_word(std::string_view word, std::vector<int32_t>& out) const {
  if (word.empty()) return;
  if (options_.ignore_merges) {
    if (auto found = vocab_.find(word); found != vocab_.end()) {
      out.push_back(found->second);
      return;
    }
  }
  std::vector<int32_t> ids, lengths;
  initial_symbols(word, ids, lengths);
  const int32_t n = static_cast<int32_t>(ids.size());
  // A doubly linked list over the symbols; a merged-away symbol gets length 0.
  std::vector<int32_t> prev(static_cast<size_t>(n)), next(static_cast<size_t>(n));
  for (int32_t k = 0; k < n; ++k) prev[k] = k - 1, next[k] = k + 1 < n ? k + 1 : -1;
  struct Candidate {
    int32_t rank, pos, merged;
    bool operator>(const Candidate& o) const {
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  auto offer = [&](int32_t pos) {
    if (pos < 0 || next[pos] < 0) return;
    if (const Rank* r = find_merge(ids[pos], ids[next[pos]])) queue.push({r->rank, pos, r->merged});
  };
  for (int32_t k = 0; k + 1 < n; ++k) offer(k);
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    const int32_t pos = top.pos;
    if (lengths[pos] == 0 || next[pos] < 0) continue;
    const int32_t right = next[pos];
    // A stale entry: the pair at `pos` changed since it was queued.
    const Rank* r = find_merge(ids[pos], ids[right]);
    if (r == nullptr || r->merged != top.merged) continue;
    ids[pos] = top.merged;
    lengths[pos] += lengths[right];
    lengths[right] = 0;
    next[pos] = next[right];
    if (next[pos] >= 0) prev[next[pos]] = pos;
    offer(prev[pos]);
    offer(pos);
  }
  for (int32_t k = 0; k < n; ++k)
    if (lengths[k] != 0) out.push_back(ids[k]);
}

}  // namespace fg::tokenizer
