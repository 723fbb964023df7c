#include "tokenizer/hf_tokenizer_json.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <unordered_map>

#include "core/check.h"
#include "core/error.h"

namespace fg::tokenizer {

using nlohmann::json;

namespace {

struct Merge {
  float score;     // of the merged piece: SentencePiece merges the highest score first
  int32_t merged;  // its id breaks ties (earlier pieces were learned first)
  int32_t left;
  std::string left_piece, right_piece;
};

size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  return 4;
}

// SentencePiece's BPE encoder merges any adjacent pair whose concatenation is a normal piece,
// best score first. Every split of a normal piece into two pieces is therefore a merge, ranked
// by the merged piece's score.
std::vector<Merge> rebuild_merges(const sentencepiece::SentencePieceProcessor& sp,
                                  const std::unordered_map<std::string, int32_t>& ids) {
  std::vector<Merge> merges;
  for (int32_t id = 0; id < sp.GetPieceSize(); ++id) {
    if (sp.IsControl(id) || sp.IsUnknown(id) || sp.IsUnused(id) || sp.IsByte(id)) continue;
    const std::string piece = sp.IdToPiece(id);
    for (size_t cut = utf8_length(static_cast<unsigned char>(piece[0])); cut < piece.size();
         cut += utf8_length(static_cast<unsigned char>(piece[cut]))) {
      auto left = ids.find(piece.substr(0, cut));
      auto right = ids.find(piece.substr(cut));
      if (left == ids.end() || right == ids.end()) continue;
      merges.push_back({sp.GetScore(id), id, left->second, left->first, right->first});
    }
  }
  std::stable_sort(merges.begin(), merges.end(), [](const Merge& a, const Merge& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.merged != b.merged) return a.merged < b.merged;
    return a.left < b.left;
  });
  return merges;
}

json added_token(int32_t id, const std::string& text) {
  return {{"id", id},        {"content", text},     {"single_word", false}, {"lstrip", false},
          {"rstrip", false}, {"normalized", false}, {"special", true}};
}

json replace(const std::string& from, const std::string& to) {
  return {{"type", "Replace"}, {"pattern", {{"String", from}}}, {"content", to}};
}

// TemplateProcessing: [BOS] $A [EOS] as add_bos/add_eos say; a pair is two of those in a row.
json post_processor(const Tokenizer& tok) {
  const SpecialTokens& s = tok.special_tokens();
  const TokenizerConfig& c = tok.config();
  json specials = json::object();
  auto sequence = [&](const char* which, int type_id) {
    json out = json::array();
    auto special = [&](const std::string& text, int32_t id) {
      out.push_back({{"SpecialToken", {{"id", text}, {"type_id", type_id}}}});
      specials[text] = {{"id", text}, {"ids", {id}}, {"tokens", {text}}};
    };
    if (c.add_bos_token) special(s.bos, s.bos_id);
    out.push_back({{"Sequence", {{"id", which}, {"type_id", type_id}}}});
    if (c.add_eos_token) special(s.eos, s.eos_id);
    return out;
  };
  json single = sequence("A", 0);
  json pair = single;
  for (const json& part : sequence("B", 1)) pair.push_back(part);
  return {{"type", "TemplateProcessing"},
          {"single", single},
          {"pair", pair},
          {"special_tokens", specials}};
}

}  // namespace

json hf_tokenizer_json(const SentencePieceTokenizer& tokenizer) {
  sentencepiece::SentencePieceProcessor sp;
  auto status = sp.LoadFromSerializedProto(tokenizer.model_proto());
  FG_CHECK(status.ok(), "[hf_tokenizer_json] cannot read the SentencePiece model: {}",
           status.ToString());
  std::unordered_map<std::string, int32_t> ids;
  json vocab = json::object();
  for (int32_t id = 0; id < sp.GetPieceSize(); ++id) {
    ids.emplace(sp.IdToPiece(id), id);
    vocab[sp.IdToPiece(id)] = id;
  }
  json merges = json::array();
  for (const Merge& m : rebuild_merges(sp, ids)) merges.push_back({m.left_piece, m.right_piece});

  const SpecialTokens& s = tokenizer.special_tokens();
  json added = json::array();
  for (int32_t id : {0, 1, 2, 3}) added.push_back(added_token(id, s.text_of(id)));
  const std::string marker = "\xE2\x96\x81";  // U+2581, SentencePiece's space
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added},
          {"normalizer",
           {{"type", "Sequence"}, {"normalizers", {{{"type", "NFC"}}, replace(" ", marker)}}}},
          {"pre_tokenizer", nullptr},
          {"post_processor", post_processor(tokenizer)},
          {"decoder",
           {{"type", "Sequence"},
            {"decoders", {replace(marker, " "), {{"type", "ByteFallback"}}, {{"type", "Fuse"}}}}}},
          {"model",
           {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", s.unk},
            {"continuing_subword_prefix", nullptr},
            {"end_of_word_suffix", nullptr},
            {"fuse_unk", true},
            {"byte_fallback", true},
            {"ignore_merges", false},
            {"vocab", vocab},
            {"merges", merges}}}};
}

json hf_tokenizer_config(const Tokenizer& tokenizer) {
  const SpecialTokens& s = tokenizer.special_tokens();
  const TokenizerConfig& c = tokenizer.config();
  json decoder = json::object();
  for (int32_t id : {0, 1, 2, 3}) decoder[std::to_string(id)] = added_token(id, s.text_of(id));
  for (auto& [key, value] : decoder.items()) value.erase("id");
  return {{"tokenizer_class", "PreTrainedTokenizerFast"},
          {"bos_token", s.bos},
          {"eos_token", s.eos},
          {"unk_token", s.unk},
          {"pad_token", s.pad},
          {"model_max_length", c.model_max_length},
          {"padding_side", c.padding_side},
          {"truncation_side", c.truncation_side},
          {"clean_up_tokenization_spaces", false},
          // Ours never reads "<|EOS|>" in text as the special token: neither may transformers.
          {"split_special_tokens", true},
          {"added_tokens_decoder", decoder}};
}

}  // namespace fg::tokenizer
