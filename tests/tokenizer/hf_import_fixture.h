#pragma once
// Small Hugging Face tokenizer.json files for the import tests, built as `tokenizers` saves them:
// the tiny_2k layout (specials 0..3, the 256 byte-level symbols at 4..259 by code point, then one
// piece per merge).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/byte_level.h"

namespace fg::tokenizer::testing {

using nlohmann::json;

inline json added(int id, const std::string& text) {
  return {{"id", id},        {"content", text},     {"single_word", false}, {"lstrip", false},
          {"rstrip", false}, {"normalized", false}, {"special", true}};
}

// `merges` are in symbol form ("Ġ", "t").
inline json byte_level_json(const std::vector<std::pair<std::string, std::string>>& merges) {
  const std::vector<std::string> specials = {"<|BOS|>", "<|PAD|>", "<|EOS|>", "<|UNK|>"};
  json vocab = json::object(), added_tokens = json::array();
  int id = 0;
  for (const auto& s : specials) {
    added_tokens.push_back(added(id, s));
    vocab[s] = id++;
  }
  // Sorted by code point: for UTF-8 strings, byte order is code point order.
  std::vector<std::string> symbols(byte_level::byte_symbols().begin(),
                                   byte_level::byte_symbols().end());
  std::sort(symbols.begin(), symbols.end());
  for (const auto& s : symbols) vocab[s] = id++;
  json merge_list = json::array();
  for (const auto& [l, r] : merges) {
    if (!vocab.contains(l + r)) vocab[l + r] = id++;
    merge_list.push_back(l + " " + r);
  }
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added_tokens},
          {"normalizer", {{"type", "NFC"}}},
          {"pre_tokenizer",
           {{"type", "ByteLevel"},
            {"add_prefix_space", false},
            {"trim_offsets", true},
            {"use_regex", true}}},
          {"post_processor",
           {{"type", "TemplateProcessing"},
            {"single", json::array({{{"SpecialToken", {{"id", "<|BOS|>"}, {"type_id", 0}}}},
                                    {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
            {"pair", json::array()},
            {"special_tokens",
             {{"<|BOS|>", {{"id", "<|BOS|>"}, {"ids", {0}}, {"tokens", {"<|BOS|>"}}}}}}}},
          {"decoder",
           {{"type", "ByteLevel"},
            {"add_prefix_space", true},
            {"trim_offsets", true},
            {"use_regex", true}}},
          {"model",
           {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", "<|UNK|>"},
            {"continuing_subword_prefix", nullptr},
            {"end_of_word_suffix", nullptr},
            {"fuse_unk", false},
            {"byte_fallback", true},
            {"ignore_merges", false},
            {"vocab", vocab},
            {"merges", merge_list}}}};
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace fg::tokenizer::testing
