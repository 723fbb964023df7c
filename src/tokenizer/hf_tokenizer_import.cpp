#include "tokenizer/hf_tokenizer_import.h"

#include <map>

#include "core/check.h"
#include "core/checked_fs.h"
#include "core/json_parse.h"
#include "core/strings.h"
#include "tokenizer/directory_file.h"
#include "tokenizer/hf_bpe_tokenizer.h"

namespace fg::tokenizer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kSpecialTokensMap = "special_tokens_map.json";

// Token names from transformers' files: "bos_token": "<s>" or {"content": "<s>", ...}.
struct SideFiles {
  std::map<std::string, std::string> names;   // role ("bos") -> token text
  std::map<std::string, std::string> origin;  // role -> the file that named it
  std::optional<int64_t> model_max_length;
  std::optional<std::string> padding_side, truncation_side;
  bool split_special_tokens = false;
};

std::optional<json> read_json_file(const fs::path& dir, const fs::path& path) {
  if (!exists_checked(path, "tokenizer.json import")) return std::nullopt;
  check_directory_file(dir, path, "tokenizer.json import");
  json j = parse_json(read_file_checked(path, "tokenizer.json import"), path.string());
  if (!j.is_object())
    throw IoError(fmt::format("[tokenizer.json import] {}: expected a JSON object, found {}",
                              path.string(), j.type_name()));
  return j;
}

std::optional<std::string> token_name(const json& j, const std::string& key, const fs::path& path) {
  auto found = j.find(key);
  if (found == j.end() || found->is_null()) return std::nullopt;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_object() && found->contains("content") && (*found)["content"].is_string())
    return (*found)["content"].get<std::string>();
  throw IoError(fmt::format(
      "[tokenizer.json import] {}: {}: expected a token string or {{\"content\": ...}}, found {}",
      path.string(), key, found->type_name()));
}

SideFiles read_side_files(const fs::path& dir) {
  SideFiles side;
  // tokenizer_config.json wins over special_tokens_map.json, as in transformers.
  for (const char* file : {kSpecialTokensMap, kConfigFileName}) {
    const fs::path path = dir / file;
    const std::optional<json> j = read_json_file(dir, path);
    if (!j) continue;
    for (const char* role : {"bos", "pad", "eos", "unk"}) {
      if (auto name = token_name(*j, std::string(role) + "_token", path)) {
        side.names[role] = *name;
        side.origin[role] = path.string();
      }
    }
    if (std::string(file) != kConfigFileName) continue;
    // transformers writes 1e30 for "no limit": only a sensible integer is taken.
    if (auto m = j->find("model_max_length"); m != j->end() && m->is_number_integer() &&
                                              m->get<int64_t>() > 0 &&
                                              m->get<int64_t>() <= (int64_t{1} << 40))
      side.model_max_length = m->get<int64_t>();
    for (auto [key, slot] : {std::pair{"padding_side", &side.padding_side},
                             std::pair{"truncation_side", &side.truncation_side}})
      if (auto v = j->find(key); v != j->end() && v->is_string()) *slot = v->get<std::string>();
    if (auto v = j->find("split_special_tokens"); v != j->end() && v->is_boolean())
      side.split_special_tokens = v->get<bool>();
  }
  return side;
}

// A special added token whose text names the role: "<|PAD|>", "<pad>", "</s>" for eos.
std::optional<std::string> guess_by_name(const HfPipeline& p, const std::string& role) {
  for (const AddedToken& t : p.added_tokens) {
    if (!t.special) continue;
    const std::string text = to_lower(t.content);
    if (text.find(role) != std::string::npos) return t.content;
    if (role == "bos" && text == "<s>") return t.content;
    if (role == "eos" && (text == "</s>" || text.find("endoftext") != std::string::npos))
      return t.content;
  }
  return std::nullopt;
}

int32_t id_of(const HfPipeline& p, const std::string& text, const std::string& role,
              const std::string& origin) {
  for (const AddedToken& t : p.added_tokens)
    if (t.content == text) return t.id;
  if (auto found = p.model->vocab().find(text); found != p.model->vocab().end())
    return found->second;
  throw IoError(
      fmt::format("[tokenizer.json import] {}: the {} token \"{}\" is not in the "
                  "vocabulary",
                  origin, role, text));
}

}  // namespace

TokenizerConfig hf_import_config(const fs::path& dir, const HfPipeline& p) {
  const std::string json_path = (dir / kHfTokenizerFileName).string();
  const SideFiles side = read_side_files(dir);
  TokenizerConfig c;
  c.kind = kKindHfTokenizerJson;
  c.model_file = kHfTokenizerFileName;
  c.vocab_size = static_cast<int64_t>(p.pieces.size());
  c.normalizer = p.normalizer.empty() ? "none" : "tokenizer.json";
  c.add_bos_token = p.template_bos.has_value();
  c.add_eos_token = p.template_eos.has_value();
  if (side.model_max_length) c.model_max_length = *side.model_max_length;
  if (side.padding_side) c.padding_side = *side.padding_side;
  if (side.truncation_side) c.truncation_side = *side.truncation_side;
  c.split_special_tokens = side.split_special_tokens;

  // Each role: the post-processor or model first (they decide the ids encode() produces), then
  // the side files, then a guess from the token texts.
  std::map<std::string, std::pair<std::string, std::string>> found;  // role -> (text, origin)
  if (p.template_bos)
    found["bos"] = {p.pieces[static_cast<size_t>(*p.template_bos)], json_path + ": post_processor"};
  if (p.template_eos)
    found["eos"] = {p.pieces[static_cast<size_t>(*p.template_eos)], json_path + ": post_processor"};
  if (p.unk_token) found["unk"] = {*p.unk_token, json_path + ": model.unk_token"};
  for (const auto& [role, name] : side.names) {
    auto it = found.find(role);
    if (it == found.end()) {
      found[role] = {name, side.origin.at(role)};
    } else if (it->second.first != name) {
      throw IoError(
          fmt::format("[tokenizer.json import] {}: {}_token is \"{}\", but {} uses \"{}\"",
                      side.origin.at(role), role, name, it->second.second, it->second.first));
    }
  }
  SpecialTokens& s = c.special_tokens;
  for (auto [role, text, id] :
       {std::tuple{"bos", &s.bos, &s.bos_id}, std::tuple{"pad", &s.pad, &s.pad_id},
        std::tuple{"eos", &s.eos, &s.eos_id}, std::tuple{"unk", &s.unk, &s.unk_id}}) {
    if (!found.count(role)) {
      if (auto guess = guess_by_name(p, role)) found[role] = {*guess, json_path + ": added_tokens"};
    }
    if (!found.count(role))
      throw IoError(fmt::format(
          "[tokenizer.json import] {}: cannot tell which token is {}: name it as \"{}_token\" in "
          "{} or {} beside it",
          json_path, role, role, kConfigFileName, kSpecialTokensMap));
    *text = found[role].first;
    *id = id_of(p, *text, role, found[role].second);
  }
  try {
    c.validate();
  } catch (const Error& e) {
    throw IoError(fmt::format(
        "[tokenizer.json import] {}: Forgather needs bos, pad, eos and unk at ids 0..3 (bos \"{}\" "
        "= {}, pad \"{}\" = {}, eos \"{}\" = {}, unk \"{}\" = {}): {}",
        json_path, s.bos, s.bos_id, s.pad, s.pad_id, s.eos, s.eos_id, s.unk, s.unk_id, e.what()));
  }
  return c;
}

std::unique_ptr<Tokenizer> import_hf_tokenizer(const fs::path& dir) {
  const fs::path path = dir / kHfTokenizerFileName;
  check_directory_file(dir, path, "tokenizer.json import");
  std::string text = read_file_checked(path, "tokenizer.json import");
  HfPipeline pipeline = parse_hf_tokenizer_json(text, path.string());
  TokenizerConfig config = hf_import_config(dir, pipeline);
  return std::make_unique<HfBpeTokenizer>(std::move(config), std::move(text), std::move(pipeline));
}

std::vector<std::string> hf_import_files(const fs::path& dir) {
  std::vector<std::string> files = {kHfTokenizerFileName};
  for (const char* side : {kConfigFileName, kSpecialTokensMap})
    if (exists_checked(dir / side, "tokenizer.json import")) files.push_back(side);
  return files;
}

}  // namespace fg::tokenizer
