#include "tokenizer/hf_pipeline.h"

#include <fmt/format.h>

#include <limits>
#include <set>

#include "core/error.h"
#include "core/json_parse.h"

namespace fg::tokenizer {

using nlohmann::json;

namespace {

// Error helpers: every message names the file and the key path ("model.merges[3]").
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw IoError(fmt::format("[tokenizer.json import] {}: {}: {}", origin_, key, message));
  }
  [[noreturn]] void unsupported(const std::string& key, const json& value) const {
    fail(key, fmt::format("unsupported value {} (Forgather imports BPE tokenizers with NFC/"
                          "Replace/Prepend normalizers, ByteLevel pre-tokenizers, "
                          "TemplateProcessing/ByteLevel post-processors and ByteLevel/Replace/"
                          "ByteFallback/Fuse decoders)",
                          value.dump(-1, ' ', false, json::error_handler_t::replace)));
  }
  const json& member(const json& object, const std::string& key, const char* name) const {
    if (!object.is_object())
      fail(key, fmt::format("expected an object, found {}", object.type_name()));
    auto found = object.find(name);
    if (found == object.end()) fail(key + "." + name, "expected this key, found none");
    return *found;
  }
  std::string string(const json& object, const std::string& key, const char* name) const {
    const json& v = member(object, key, name);
    if (!v.is_string())
      fail(key + "." + name, fmt::format("expected a string, found {}", v.type_name()));
    return v.get<std::string>();
  }
  bool boolean(const json& object, const std::string& key, const char* name, bool fallback) const {
    auto found = object.find(name);
    if (found == object.end() || found->is_null()) return fallback;
    if (!found->is_boolean())
      fail(key + "." + name, fmt::format("expected true or false, found {}", found->type_name()));
    return found->get<bool>();
  }
  const json& array(const json& object, const std::string& key, const char* name) const {
    const json& v = member(object, key, name);
    if (!v.is_array())
      fail(key + "." + name, fmt::format("expected an array, found {}", v.type_name()));
    return v;
  }
  // Refuses a key outside `allowed`: an option Forgather would ignore must not be ignored.
  void check_keys(const json& object, const std::string& key, const std::string& what,
                  std::initializer_list<const char*> allowed) const {
    for (const auto& [name, value] : object.items()) {
      bool known = false;
      for (const char* a : allowed) known = known || name == a;
      if (!known) fail(key + "." + name, fmt::format("unsupported key for {}", what));
    }
  }
  // The "type" of a component, after checking it holds only `allowed` keys besides "type".
  std::string type_of(const json& object, const std::string& key,
                      std::initializer_list<const char*> allowed) const {
    const std::string type = string(object, key, "type");
    for (const auto& [name, value] : object.items()) {
      bool known = name == "type";
      for (const char* a : allowed) known = known || name == a;
      if (!known) fail(key + "." + name, fmt::format("unsupported key for type {}", type));
    }
    return type;
  }
  int32_t id(const json& value, const std::string& key, int64_t limit) const {
    try {
      return static_cast<int32_t>(json_int64(value, origin_ + ": " + key, 0, limit - 1));
    } catch (const IoError& e) {
      fail(key, fmt::format("expected a token id in [0, {}) (the vocabulary size), found {}", limit,
                            value.dump(-1, ' ', false, json::error_handler_t::replace)));
    }
  }

 private:
  std::string origin_;
};

// A Replace step's pattern must be {"String": s}: a regular-expression pattern is not supported.
std::pair<std::string, std::string> replace_pair(const Reader& r, const json& j,
                                                 const std::string& key) {
  const json& pattern = r.member(j, key, "pattern");
  if (!pattern.is_object() || !pattern.contains("String") || !pattern["String"].is_string())
    r.unsupported(key + ".pattern", pattern);
  std::string from = pattern["String"].get<std::string>();
  if (from.empty()) r.fail(key + ".pattern.String", "expected a non-empty string");
  return {from, r.string(j, key, "content")};
}

// A {"type": "Sequence", <list_name>: [...]} component: `read(item, item_key)` for each item.
// False, reading nothing, when `j` has another type.
template <typename Read>
bool read_sequence(const Reader& r, const json& j, const std::string& key, const char* list_name,
                   const Read& read) {
  if (r.string(j, key, "type") != "Sequence") return false;
  r.type_of(j, key, {list_name});
  const json& list = r.array(j, key, list_name);
  for (size_t i = 0; i < list.size(); ++i)
    read(list[i], fmt::format("{}.{}[{}]", key, list_name, i));
  return true;
}

void read_normalizer(const Reader& r, const json& j, const std::string& key,
                     std::vector<NormalizeStep>& out) {
  if (j.is_null()) return;
  const std::string type = r.string(j, key, "type");
  if (read_sequence(r, j, key, "normalizers", [&](const json& item, const std::string& item_key) {
        read_normalizer(r, item, item_key, out);
      }))
    return;
  if (type == "NFC") {
    r.type_of(j, key, {});
    out.push_back({NormalizeStep::Kind::kNfc, "", ""});
  } else if (type == "Replace") {
    r.type_of(j, key, {"pattern", "content"});
    auto [from, to] = replace_pair(r, j, key);
    out.push_back({NormalizeStep::Kind::kReplace, from, to});
  } else if (type == "Prepend") {
    r.type_of(j, key, {"prepend"});
    out.push_back({NormalizeStep::Kind::kPrepend, "", r.string(j, key, "prepend")});
  } else {
    r.unsupported(key + ".type", type);
  }
}

void read_pre_tokenizer(const Reader& r, const json& j, const std::string& key,
                        std::vector<PreTokenizeStep>& out) {
  const std::string type = r.string(j, key, "type");
  if (read_sequence(r, j, key, "pretokenizers", [&](const json& item, const std::string& item_key) {
        read_pre_tokenizer(r, item, item_key, out);
      }))
    return;
  if (type == "ByteLevel") {
    // trim_offsets only moves offsets, which Forgather does not report.
    r.type_of(j, key, {"add_prefix_space", "trim_offsets", "use_regex"});
    out.push_back(
        {r.boolean(j, key, "add_prefix_space", true), r.boolean(j, key, "use_regex", true)});
  } else {
    r.unsupported(key + ".type", type);
  }
}

void read_decoder(const Reader& r, const json& j, const std::string& key,
                  std::vector<DecodeStep>& out) {
  const std::string type = r.string(j, key, "type");
  if (read_sequence(r, j, key, "decoders", [&](const json& item, const std::string& item_key) {
        read_decoder(r, item, item_key, out);
      }))
    return;
  if (type == "ByteLevel") {
    r.type_of(j, key, {"add_prefix_space", "trim_offsets", "use_regex"});
    out.push_back({DecodeStep::Kind::kByteLevel, "", ""});
  } else if (type == "Replace") {
    r.type_of(j, key, {"pattern", "content"});
    auto [from, to] = replace_pair(r, j, key);
    out.push_back({DecodeStep::Kind::kReplace, from, to});
  } else if (type == "ByteFallback") {
    r.type_of(j, key, {});
    out.push_back({DecodeStep::Kind::kByteFallback, "", ""});
  } else if (type == "Fuse") {
    r.type_of(j, key, {});
    out.push_back({DecodeStep::Kind::kFuse, "", ""});
  } else {
    r.unsupported(key + ".type", type);
  }
}

// TemplateProcessing "single" must be [special?] $A [special?]: the special before becomes BOS,
// the one after EOS. Its special_tokens entry must name exactly one id.
void read_template(const Reader& r, const json& j, const std::string& key, HfPipeline& p) {
  r.type_of(j, key, {"single", "pair", "special_tokens"});
  const json& single = r.array(j, key, "single");
  const json& specials = r.member(j, key, "special_tokens");
  bool seen_sequence = false;
  for (size_t i = 0; i < single.size(); ++i) {
    const std::string item = fmt::format("{}.single[{}]", key, i);
    const json& part = single[i];
    if (part.is_object() && part.size() == 1 && part.contains("Sequence")) {
      if (seen_sequence || r.string(part["Sequence"], item + ".Sequence", "id") != "A")
        r.unsupported(item, part);
      seen_sequence = true;
      continue;
    }
    if (!part.is_object() || part.size() != 1 || !part.contains("SpecialToken"))
      r.unsupported(item, part);
    const std::string name = r.string(part["SpecialToken"], item + ".SpecialToken", "id");
    const json& entry = r.member(specials, key + ".special_tokens", name.c_str());
    const json& ids = r.array(entry, key + ".special_tokens." + name, "ids");
    const std::string ids_key = key + ".special_tokens." + name + ".ids";
    if (ids.size() != 1) r.fail(ids_key, "expected exactly one id");
    std::optional<int32_t>& slot = seen_sequence ? p.template_eos : p.template_bos;
    if (slot) r.fail(item, "expected at most one special token on each side of $A");
    slot = r.id(ids[0], ids_key + "[0]", static_cast<int64_t>(p.pieces.size()));
  }
  if (!seen_sequence) r.fail(key + ".single", "expected the sequence $A");
}

void read_post_processor(const Reader& r, const json& j, const std::string& key, HfPipeline& p) {
  if (j.is_null()) return;
  const std::string type = r.string(j, key, "type");
  if (read_sequence(r, j, key, "processors", [&](const json& item, const std::string& item_key) {
        read_post_processor(r, item, item_key, p);
      }))
    return;
  if (type == "ByteLevel") {
    r.type_of(j, key, {"add_prefix_space", "trim_offsets", "use_regex"});  // offsets only
  } else if (type == "TemplateProcessing") {
    if (p.template_bos || p.template_eos) r.fail(key, "expected one TemplateProcessing, found two");
    read_template(r, j, key, p);
  } else {
    r.unsupported(key + ".type", type);
  }
}

std::vector<BpeModel::Merge> read_merges(const Reader& r, const json& list) {
  std::vector<BpeModel::Merge> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const json& m = list[i];
    const std::string key = fmt::format("model.merges[{}]", i);
    if (m.is_string()) {
      const std::string s = m.get<std::string>();
      const size_t space = s.find(' ');
      if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
        r.fail(key, fmt::format("expected \"left right\" with one space, found \"{}\"", s));
      out.push_back({s.substr(0, space), s.substr(space + 1)});
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      out.push_back({m[0].get<std::string>(), m[1].get<std::string>()});
    } else {
      r.fail(key, "expected \"left right\" or [\"left\", \"right\"]");
    }
  }
  return out;
}

// The model's vocabulary and the added tokens must number the ids 0..N-1 exactly once each.
PieceIds read_vocabulary(const Reader& r, const json& root, const json& vocab, HfPipeline& p) {
  std::set<std::string> extra;
  static const json kNone = json::array();
  const json& added =
      root.contains("added_tokens") ? r.array(root, "(top level)", "added_tokens") : kNone;
  for (size_t i = 0; i < added.size(); ++i) {
    const std::string key = fmt::format("added_tokens[{}]", i);
    const json& t = added[i];
    r.check_keys(t, key, "an added token",
                 {"id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"});
    AddedToken token;
    token.content = r.string(t, key, "content");
    if (token.content.empty()) r.fail(key + ".content", "expected a non-empty token");
    token.special = r.boolean(t, key, "special", false);
    token.normalized = r.boolean(t, key, "normalized", !token.special);
    for (const char* flag : {"single_word", "lstrip", "rstrip"})
      if (r.boolean(t, key, flag, false)) r.fail(key + "." + flag, "true is not supported");
    if (!vocab.contains(token.content)) extra.insert(token.content);
    p.added_tokens.push_back(token);
  }
  const int64_t total = static_cast<int64_t>(vocab.size() + extra.size());
  if (total > std::numeric_limits<int32_t>::max())
    r.fail("model.vocab", "too many tokens for 32-bit ids");
  p.pieces.assign(static_cast<size_t>(total), {});
  std::vector<bool> used(static_cast<size_t>(total), false);
  auto place = [&](int32_t id, const std::string& piece, const std::string& key) {
    if (used[static_cast<size_t>(id)] && p.pieces[static_cast<size_t>(id)] != piece)
      r.fail(key, fmt::format("duplicate id {}: \"{}\" and \"{}\"", id,
                              p.pieces[static_cast<size_t>(id)], piece));
    used[static_cast<size_t>(id)] = true;
    p.pieces[static_cast<size_t>(id)] = piece;
  };
  PieceIds ids;
  ids.reserve(vocab.size());
  for (const auto& [piece, value] : vocab.items()) {
    const std::string key = "model.vocab[\"" + piece + "\"]";
    const int32_t id = r.id(value, key, total);
    place(id, piece, key);
    ids.emplace(piece, id);
  }
  for (size_t i = 0; i < added.size(); ++i) {
    AddedToken& token = p.added_tokens[i];
    const std::string key = fmt::format("added_tokens[{}].id", i);
    token.id = r.id(r.member(added[i], fmt::format("added_tokens[{}]", i), "id"), key, total);
    auto in_vocab = ids.find(token.content);
    if (in_vocab != ids.end() && in_vocab->second != token.id)
      r.fail(key, fmt::format("\"{}\" has id {} here but {} in model.vocab", token.content,
                              token.id, in_vocab->second));
    place(token.id, token.content, key);
  }
  for (int64_t id = 0; id < total; ++id)
    if (!used[static_cast<size_t>(id)])
      r.fail("model.vocab",
             fmt::format("id {} names no token: expected ids 0..{} with no gaps", id, total - 1));
  return ids;
}

}  // namespace

HfPipeline parse_hf_tokenizer_json(std::string_view text, const std::string& origin) {
  const Reader r(origin);
  const json root = parse_json(text, origin);
  if (!root.is_object()) r.fail("(top level)", "expected a JSON object");
  r.check_keys(root, "(top level)", "tokenizer.json",
               {"version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer",
                "post_processor", "decoder", "model"});
  // Truncation and padding change what encode returns; Forgather truncates and pads elsewhere.
  for (const char* name : {"truncation", "padding"})
    if (root.contains(name) && !root[name].is_null())
      r.fail(name, "expected null (truncation and padding are not imported)");
  HfPipeline p;
  const json& model = r.member(root, "(top level)", "model");
  const std::string type =
      r.type_of(model, "model",
                {"dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix",
                 "fuse_unk", "byte_fallback", "ignore_merges", "vocab", "merges"});
  if (type != "BPE") r.unsupported("model.type", type);
  if (model.contains("dropout") && !model["dropout"].is_null() &&
      !(model["dropout"].is_number() && model["dropout"].get<double>() == 0.0))
    r.fail("model.dropout", "expected null: BPE dropout makes encoding random");
  for (const char* name : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (model.contains(name) && !model[name].is_null() &&
        !(model[name].is_string() && model[name].get<std::string>().empty()))
      r.unsupported(std::string("model.") + name, model[name]);
  const json& vocab = r.member(model, "model", "vocab");
  if (!vocab.is_object()) r.fail("model.vocab", "expected an object of token: id");
  PieceIds ids = read_vocabulary(r, root, vocab, p);

  BpeModel::Options options;
  if (model.contains("unk_token") && !model["unk_token"].is_null())
    options.unk_token = r.string(model, "model", "unk_token");
  options.fuse_unk = r.boolean(model, "model", "fuse_unk", false);
  options.byte_fallback = r.boolean(model, "model", "byte_fallback", false);
  options.ignore_merges = r.boolean(model, "model", "ignore_merges", false);
  p.unk_token = options.unk_token;
  p.model =
      std::make_unique<BpeModel>(std::move(ids), read_merges(r, r.array(model, "model", "merges")),
                                 options, "[tokenizer.json import] " + origin);

  if (root.contains("normalizer"))
    read_normalizer(r, root["normalizer"], "normalizer", p.normalizer);
  if (root.contains("pre_tokenizer") && !root["pre_tokenizer"].is_null()) {
    p.pre_tokenizer.emplace();
    read_pre_tokenizer(r, root["pre_tokenizer"], "pre_tokenizer", *p.pre_tokenizer);
  }
  if (root.contains("post_processor"))
    read_post_processor(r, root["post_processor"], "post_processor", p);
  if (root.contains("decoder") && !root["decoder"].is_null()) {
    p.decoder.emplace();
    read_decoder(r, root["decoder"], "decoder", *p.decoder);
  }
  return p;
}

}  // namespace fg::tokenizer
