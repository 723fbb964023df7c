#include "tokenizer/tokenizer_config.h"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

#include "core/check.h"
#include "core/json_parse.h"

namespace fg::tokenizer {

using nlohmann::json;

void TokenizerConfig::validate() const {
  special_tokens.validate();
  FG_CHECK(kind == kKindSentencePiece || kind == kKindByte,
           "[TokenizerConfig] expected kind '{}' or '{}', got '{}'", kKindSentencePiece, kKindByte,
           kind);
  FG_CHECK(model_max_length > 0, "[TokenizerConfig] expected model_max_length > 0, got {}",
           model_max_length);
  FG_CHECK(padding_side == "right" || padding_side == "left",
           "[TokenizerConfig] expected padding_side 'right' or 'left', got '{}'", padding_side);
  FG_CHECK(normalizer == "NFC", "[TokenizerConfig] expected normalizer 'NFC', got '{}'",
           normalizer);
  // The model is read from the tokenizer's own directory: a path would let a hostile config read
  // any file (or /dev/zero, forever).
  FG_CHECK(
      kind != kKindSentencePiece ||
          (!model_file.empty() && model_file != "." && model_file != ".." &&
           model_file.find('/') == std::string::npos && model_file.find('\\') == std::string::npos),
      "[TokenizerConfig] expected model_file to be a file name inside the tokenizer "
      "directory, got '{}'",
      model_file);
}

void write_tokenizer_config(const std::filesystem::path& dir, const TokenizerConfig& c) {
  const SpecialTokens& s = c.special_tokens;
  json j = {{"tokenizer_kind", c.kind},
            {"model_file", c.model_file},
            {"vocab_size", c.vocab_size},
            {"bos_token", s.bos},
            {"pad_token", s.pad},
            {"eos_token", s.eos},
            {"unk_token", s.unk},
            {"special_token_ids",
             {{"bos", s.bos_id}, {"pad", s.pad_id}, {"eos", s.eos_id}, {"unk", s.unk_id}}},
            {"model_max_length", c.model_max_length},
            {"padding_side", c.padding_side},
            {"truncation_side", c.truncation_side},
            {"normalizer", c.normalizer},
            {"add_bos_token", c.add_bos_token},
            {"add_eos_token", c.add_eos_token}};
  std::filesystem::path path = dir / kConfigFileName;
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out) throw IoError(fmt::format("[TokenizerConfig] could not write {}", path.string()));
}

namespace {

template <typename T>
T field(const json& j, const char* key, const std::filesystem::path& path) {
  if (!j.contains(key))
    throw IoError(
        fmt::format("[TokenizerConfig] {}: expected a field '{}', found none", path.string(), key));
  // Integers are range-checked: get<int32_t>() casts 1e300 with undefined behaviour.
  if constexpr (std::is_integral_v<T>) {
    try {
      return static_cast<T>(
          json_int64(j.at(key), key, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    } catch (const IoError& e) {
      throw IoError(fmt::format("[TokenizerConfig] {}: field '{}' has the wrong type: {}",
                                path.string(), key, e.what()));
    }
  }
  try {
    return j.at(key).get<T>();
  } catch (const json::exception& e) {
    throw IoError(fmt::format("[TokenizerConfig] {}: field '{}' has the wrong type: {}",
                              path.string(), key, e.what()));
  }
}

void fill_config(const json& j, const std::filesystem::path& path, TokenizerConfig& c) {
  c.kind = field<std::string>(j, "tokenizer_kind", path);
  c.model_file = j.value("model_file", c.model_file);
  c.vocab_size = field<int64_t>(j, "vocab_size", path);
  SpecialTokens& s = c.special_tokens;
  s.bos = field<std::string>(j, "bos_token", path);
  s.pad = field<std::string>(j, "pad_token", path);
  s.eos = field<std::string>(j, "eos_token", path);
  s.unk = field<std::string>(j, "unk_token", path);
  json ids = field<json>(j, "special_token_ids", path);
  s.bos_id = field<int32_t>(ids, "bos", path);
  s.pad_id = field<int32_t>(ids, "pad", path);
  s.eos_id = field<int32_t>(ids, "eos", path);
  s.unk_id = field<int32_t>(ids, "unk", path);
  if (j.contains("model_max_length"))
    c.model_max_length = field<int64_t>(j, "model_max_length", path);
  c.padding_side = j.value("padding_side", c.padding_side);
  c.truncation_side = j.value("truncation_side", c.truncation_side);
  c.normalizer = j.value("normalizer", c.normalizer);
  c.add_bos_token = j.value("add_bos_token", c.add_bos_token);
  c.add_eos_token = j.value("add_eos_token", c.add_eos_token);
}

}  // namespace

TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir) {
  std::filesystem::path path = dir / kConfigFileName;
  std::ifstream in(path);
  if (!in)
    throw IoError(
        fmt::format("[TokenizerConfig] expected a tokenizer directory holding {}, but "
                    "{} does not exist or cannot be read",
                    kConfigFileName, path.string()));
  std::stringstream text;
  text << in.rdbuf();
  const json j = parse_json(text.str(), path.string());
  if (!j.is_object())
    throw IoError(fmt::format("[TokenizerConfig] {}: expected a JSON object, found {}",
                              path.string(), j.type_name()));
  TokenizerConfig c;
  try {
    fill_config(j, path, c);
  } catch (const json::exception& e) {
    throw IoError(fmt::format("[TokenizerConfig] {}: a field has the wrong type: {}", path.string(),
                              e.what()));
  }
  try {
    c.validate();
  } catch (const Error& e) {
    throw IoError(fmt::format("{} (in {})", e.what(), path.string()));
  }
  return c;
}

}  // namespace fg::tokenizer
