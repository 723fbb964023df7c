#include "tokenizer/tokenizer_config.h"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

#include "core/check.h"
#include "core/checked_fs.h"
#include "core/json_parse.h"

namespace fg::tokenizer {

using nlohmann::json;

void TokenizerConfig::validate() const {
  special_tokens.validate();
  FG_CHECK(kind == kKindSentencePiece || kind == kKindByte || kind == kKindHfTokenizerJson,
           "[TokenizerConfig] expected kind '{}', '{}' or '{}', got '{}'", kKindSentencePiece,
           kKindByte, kKindHfTokenizerJson, kind);
  FG_CHECK(model_max_length > 0, "[TokenizerConfig] expected model_max_length > 0, got {}",
           model_max_length);
  FG_CHECK(padding_side == "right" || padding_side == "left",
           "[TokenizerConfig] expected padding_side 'right' or 'left', got '{}'", padding_side);
  FG_CHECK(normalizer == "NFC" || kind == kKindHfTokenizerJson,
           "[TokenizerConfig] expected normalizer 'NFC', got '{}'", normalizer);
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
  if (c.kind == kKindHfTokenizerJson) j["split_special_tokens"] = c.split_special_tokens;
  std::filesystem::path path = dir / kConfigFileName;
  write_file_checked(path, j.dump(2) + "\n", "TokenizerConfig");
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

// A tokenizer directory may come from a stranger: its model file is read from, and written back
// to, the directory itself, so the name must be a plain file name that cannot point elsewhere.
void check_model_file_name(const std::string& name, const std::filesystem::path& path) {
  bool plain = !name.empty() && name != "." && name != ".." &&
               name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
  if (!plain)
    throw IoError(fmt::format(
        "[TokenizerConfig] {}: field 'model_file' must be a file name inside the tokenizer "
        "directory (no '/', '\\' or '..'), got \"{}\"",
        path.string(), name));
}

void fill_config(const json& j, const std::filesystem::path& path, TokenizerConfig& c) {
  c.kind = field<std::string>(j, "tokenizer_kind", path);
  if (j.contains("model_file")) {
    c.model_file = field<std::string>(j, "model_file", path);
    if (c.kind != "byte_level" || !c.model_file.empty()) check_model_file_name(c.model_file, path);
  }
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
  c.split_special_tokens = j.value("split_special_tokens", c.split_special_tokens);
}

}  // namespace

bool holds_forgather_config(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / kConfigFileName;
  if (!exists_checked(path, "TokenizerConfig")) return false;
  try {
    const json j = parse_json(read_file_checked(path, "TokenizerConfig"), path.string());
    return !j.is_object() || j.contains("tokenizer_kind");
  } catch (const IoError&) {
    return true;
  }
}

TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir) {
  std::filesystem::path path = dir / kConfigFileName;
  if (!exists_checked(path, "TokenizerConfig"))
    throw IoError(
        fmt::format("[TokenizerConfig] expected a tokenizer directory holding {}, but "
                    "{} does not exist",
                    kConfigFileName, path.string()));
  const json j = parse_json(read_file_checked(path, "TokenizerConfig"), path.string());
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
