#include "tokenizer/hf_bpe_tokenizer.h"

#include <algorithm>

#include "core/check.h"
#include "core/checked_fs.h"
#include "core/strings.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/directory_file.h"
#include "tokenizer/unicode.h"

namespace fg::tokenizer {

namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = text.find(from, pos)) != std::string::npos; pos = hit + from.size())
    out.append(text, pos, hit - pos).append(to);
  if (pos == 0) return;
  out.append(text, pos);
  text = std::move(out);
}

// A "<0xNN>" piece's byte (hex digits in either case, as `tokenizers` reads them).
std::optional<uint8_t> fallback_byte(const std::string& piece) {
  if (piece.size() != 6 || piece.compare(0, 3, "<0x") != 0 || piece[5] != '>') return std::nullopt;
  int value = 0;
  for (char c : piece.substr(3, 2)) {
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) return std::nullopt;
    value = value * 16 + digit;
  }
  return static_cast<uint8_t>(value);
}

// Runs of <0xNN> pieces become their text when it is UTF-8, else one U+FFFD per byte.
std::vector<std::string> byte_fallback(std::vector<std::string> tokens) {
  std::vector<std::string> out;
  std::string bytes;
  size_t count = 0;
  auto flush = [&] {
    if (count == 0) return;
    if (find_invalid_utf8(bytes)) {
      std::string marks;
      for (size_t k = 0; k < count; ++k) marks += "\xEF\xBF\xBD";
      out.push_back(marks);
    } else {
      out.push_back(bytes);
    }
    bytes.clear();
    count = 0;
  };
  for (std::string& t : tokens) {
    if (auto b = fallback_byte(t)) {
      bytes.push_back(static_cast<char>(*b));
      ++count;
      continue;
    }
    flush();
    out.push_back(std::move(t));
  }
  flush();
  return out;
}

// Each token as the bytes its symbols stand for (as itself when it has a symbol outside the
// alphabet); all of them as one lossy UTF-8 string.
std::vector<std::string> byte_level_decode(const std::vector<std::string>& tokens) {
  std::string bytes;
  for (const std::string& t : tokens)
    if (!byte_level::append_bytes(t, bytes)) bytes += t;
  return {byte_level::utf8_lossy(bytes)};
}

}  // namespace

HfBpeTokenizer::HfBpeTokenizer(TokenizerConfig config, std::string json_text, HfPipeline pipeline)
    : Tokenizer(std::move(config)),
      json_text_(std::move(json_text)),
      pipeline_(std::move(pipeline)) {
  FG_CHECK(pipeline_.model != nullptr, "[HfBpeTokenizer] expected a BPE model");
  for (const SpecialTokens& s = special_tokens(); int32_t id : s.ids())
    FG_CHECK(id < vocab_size() && pipeline_.pieces[static_cast<size_t>(id)] == s.text_of(id),
             "[HfBpeTokenizer] expected \"{}\" at id {}, tokenizer.json has \"{}\"", s.text_of(id),
             id, id < vocab_size() ? pipeline_.pieces[static_cast<size_t>(id)] : "(no such id)");
  for (const AddedToken& t : pipeline_.added_tokens) {
    if (t.special && this->config().split_special_tokens) continue;
    auto& index = t.normalized ? normalized_tokens_ : raw_tokens_;
    index[static_cast<uint8_t>(t.content[0])].push_back(&t);
  }
  for (auto* index : {&raw_tokens_, &normalized_tokens_})
    for (auto& list : *index)
      std::stable_sort(list.begin(), list.end(), [](const AddedToken* a, const AddedToken* b) {
        return a->content.size() > b->content.size();
      });
}

std::unique_ptr<HfBpeTokenizer> HfBpeTokenizer::load(const std::filesystem::path& dir,
                                                     const TokenizerConfig& config) {
  const std::filesystem::path path = dir / config.model_file;
  check_directory_file(dir, path, "HfBpeTokenizer");
  std::string text = read_file_checked(path, "HfBpeTokenizer");
  HfPipeline pipeline = parse_hf_tokenizer_json(text, path.string());
  return std::make_unique<HfBpeTokenizer>(config, std::move(text), std::move(pipeline));
}

std::string HfBpeTokenizer::id_to_piece(int32_t id) const {
  FG_CHECK(id >= 0 && id < vocab_size(), "[HfBpeTokenizer] expected an id in [0, {}), got {}",
           vocab_size(), id);
  return pipeline_.pieces[static_cast<size_t>(id)];
}

void HfBpeTokenizer::save(const std::filesystem::path& dir) const {
  create_directories_checked(dir, "HfBpeTokenizer", "tokenizer directory");
  TokenizerConfig c = config();
  c.kind = kKindHfTokenizerJson;
  c.model_file = kHfTokenizerFileName;
  c.vocab_size = vocab_size();
  write_file_checked(dir / c.model_file, json_text_, "HfBpeTokenizer");
  write_tokenizer_config(dir, c);
}

std::string HfBpeTokenizer::fingerprint_material() const {
  const SpecialTokens& s = special_tokens();
  return fmt::format("hf_tokenizer_json:{}={},{}={},{}={},{}={}:bos={},eos={},split={}:", s.bos,
                     s.bos_id, s.pad, s.pad_id, s.eos, s.eos_id, s.unk, s.unk_id,
                     config().add_bos_token, config().add_eos_token,
                     config().split_special_tokens) +
         json_text_;
}

std::optional<HfBpeTokenizer::Match> HfBpeTokenizer::find_added(std::string_view text, size_t from,
                                                                bool normalized) const {
  const auto& index = normalized ? normalized_tokens_ : raw_tokens_;
  for (size_t i = from; i < text.size(); ++i)
    for (const AddedToken* t : index[static_cast<uint8_t>(text[i])])
      if (text.compare(i, t->content.size(), t->content) == 0)
        return Match{i, i + t->content.size(), t->id};
  return std::nullopt;
}

template <typename Rest>
void HfBpeTokenizer::split_added(std::string_view text, bool normalized, std::vector<int32_t>& out,
                                 const Rest& rest) const {
  size_t pos = 0;
  while (auto m = find_added(text, pos, normalized)) {
    if (m->begin > pos) rest(text.substr(pos, m->begin - pos));
    out.push_back(m->id);
    pos = m->end;
  }
  if (pos < text.size()) rest(text.substr(pos));
}

std::string HfBpeTokenizer::normalize(std::string_view text) const {
  std::string out(text);
  for (const NormalizeStep& step : pipeline_.normalizer) {
    switch (step.kind) {
      case NormalizeStep::Kind::kNfc:
        out = nfc(out);
        break;
      case NormalizeStep::Kind::kReplace:
        replace_all(out, step.from, step.to);
        break;
      case NormalizeStep::Kind::kPrepend:
        if (!out.empty()) out.insert(0, step.to);
        break;
    }
  }
  return out;
}

// As `tokenizers` does: tokens with normalized=false are found in the raw text, the pieces
// between them are normalized, then tokens with normalized=true are found in those.
void HfBpeTokenizer::encode_text(std::string_view text, std::vector<int32_t>& out) const {
  // The split and the merges index symbols with 32-bit offsets.
  FG_CHECK(text.size() < (size_t{1} << 31),
           "[HfBpeTokenizer] expected a text under 2 GiB to encode, got {} bytes", text.size());
  split_added(text, false, out, [&](std::string_view raw) {
    const std::string normal = normalize(raw);
    split_added(normal, true, out, [&](std::string_view piece) { encode_normalized(piece, out); });
  });
}

void HfBpeTokenizer::encode_normalized(std::string_view text, std::vector<int32_t>& out) const {
  const BpeModel& model = *pipeline_.model;
  if (!pipeline_.pre_tokenizer) {
    model.encode_word(text, out);
    return;
  }
  std::vector<std::string> words = {std::string(text)};
  for (const PreTokenizeStep& step : *pipeline_.pre_tokenizer) {
    std::vector<std::string> next;
    for (std::string& word : words) {
      if (step.add_prefix_space && !word.empty() && word[0] != ' ') word.insert(0, " ");
      auto map = [&](std::string_view part) {
        std::string symbols;
        byte_level::append_symbols(part, symbols);
        next.push_back(std::move(symbols));
      };
      if (step.use_regex)
        byte_level::gpt2_split(word, map);
      else if (!word.empty())
        map(word);
    }
    words = std::move(next);
  }
  for (const std::string& word : words) model.encode_word(word, out);
}

std::string HfBpeTokenizer::decode_pieces(std::span<const int32_t> ids) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) tokens.push_back(pipeline_.pieces[static_cast<size_t>(id)]);
  if (!pipeline_.decoder) return join(tokens, " ");
  for (const DecodeStep& step : *pipeline_.decoder) {
    switch (step.kind) {
      case DecodeStep::Kind::kByteLevel:
        tokens = byte_level_decode(tokens);
        break;
      case DecodeStep::Kind::kReplace:
        for (std::string& t : tokens) replace_all(t, step.from, step.to);
        break;
      case DecodeStep::Kind::kByteFallback:
        tokens = byte_fallback(std::move(tokens));
        break;
      case DecodeStep::Kind::kFuse:
        tokens = {join(tokens, "")};
        break;
    }
  }
  return join(tokens, "");
}

}  // namespace fg::tokenizer
