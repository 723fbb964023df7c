#include "tokenizer/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>

#include <fstream>
#include <sstream>

#include "core/check.h"
#include "core/checked_fs.h"
#include "tokenizer/directory_file.h"

namespace fg::tokenizer {

SentencePieceTokenizer::SentencePieceTokenizer(TokenizerConfig config, std::string model_proto)
    : Tokenizer(std::move(config)),
      model_proto_(std::move(model_proto)),
      processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
  auto status = processor_->LoadFromSerializedProto(model_proto_);
  if (!status.ok())
    throw IoError(
        fmt::format("[SentencePieceTokenizer] expected a valid SentencePiece model, "
                    "SentencePiece reported: {}",
                    status.ToString()));
  check_specials();
  for (const char* piece : {"<0xE2>", "<0x96>", "<0x81>"}) {
    int id = processor_->PieceToId(piece);
    if (id == processor_->unk_id()) break;  // no byte fallback in this model
    marker_ids_.push_back(id);
  }
  if (marker_ids_.size() != 3) marker_ids_.clear();
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

void SentencePieceTokenizer::check_specials() const {
  const SpecialTokens& s = special_tokens();
  for (int32_t id : s.ids()) {
    FG_CHECK(id < processor_->GetPieceSize(),
             "[SentencePieceTokenizer] special id {} is outside the model's vocabulary of {}", id,
             processor_->GetPieceSize());
    std::string piece = processor_->IdToPiece(id);
    FG_CHECK(piece == s.text_of(id),
             "[SentencePieceTokenizer] expected piece '{}' at id {}, the model has '{}'",
             s.text_of(id), id, piece);
  }
  if (config().vocab_size != 0)
    FG_CHECK(config().vocab_size == processor_->GetPieceSize(),
             "[SentencePieceTokenizer] tokenizer_config.json says vocab_size {}, the model has {}",
             config().vocab_size, processor_->GetPieceSize());
}

namespace {}  // namespace

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::load(
    const std::filesystem::path& dir, const TokenizerConfig& config) {
  std::filesystem::path path = dir / config.model_file;
  if (!exists_checked(path, "SentencePieceTokenizer"))
    throw IoError(
        fmt::format("[SentencePieceTokenizer] expected the model file {}, which does not exist",
                    path.string()));
  check_directory_file(dir, path, "SentencePieceTokenizer", "model file");
  const std::string bytes = read_file_checked(path, "SentencePieceTokenizer");
  try {
    return std::make_unique<SentencePieceTokenizer>(config, bytes);
  } catch (const Error& e) {
    throw IoError(fmt::format("{} (loading {})", e.what(), path.string()));
  }
}

int64_t SentencePieceTokenizer::vocab_size() const {
  return processor_->GetPieceSize();
}

std::string SentencePieceTokenizer::id_to_piece(int32_t id) const {
  FG_CHECK(id >= 0 && id < vocab_size(),
           "[SentencePieceTokenizer] expected an id in [0, {}), got {}", vocab_size(), id);
  return processor_->IdToPiece(id);
}

void SentencePieceTokenizer::save(const std::filesystem::path& dir) const {
  create_directories_checked(dir, "SentencePieceTokenizer", "tokenizer directory");
  write_file_checked(dir / std::filesystem::path(config().model_file).filename(), model_proto_,
                     "SentencePieceTokenizer");
  TokenizerConfig c = config();
  c.vocab_size = vocab_size();
  write_tokenizer_config(dir, c);
}

std::string SentencePieceTokenizer::fingerprint_material() const {
  const SpecialTokens& s = special_tokens();
  return fmt::format("sentencepiece_bpe:{}={},{}={},{}={},{}={}:", s.bos, s.bos_id, s.pad, s.pad_id,
                     s.eos, s.eos_id, s.unk, s.unk_id) +
         model_proto_;
}

void SentencePieceTokenizer::encode_normalized(std::string_view text,
                                               std::vector<int32_t>& out) const {
  // SentencePiece reads a literal U+2581 as its space marker and would decode it as ' ', so
  // each one is emitted as its three byte-fallback pieces, which decode to the bytes themselves.
  static constexpr std::string_view kMarker = "\xE2\x96\x81";
  std::vector<int> ids;
  while (true) {
    size_t at = marker_ids_.empty() ? std::string_view::npos : text.find(kMarker);
    auto status = processor_->Encode(text.substr(0, at), &ids);
    FG_CHECK(status.ok(), "[SentencePieceTokenizer] encode failed: {}", status.ToString());
    out.insert(out.end(), ids.begin(), ids.end());
    if (at == std::string_view::npos) return;
    out.insert(out.end(), marker_ids_.begin(), marker_ids_.end());
    text.remove_prefix(at + kMarker.size());
  }
}

std::string SentencePieceTokenizer::decode_pieces(std::span<const int32_t> ids) const {
  std::vector<int> v(ids.begin(), ids.end());
  std::string text;
  auto status = processor_->Decode(v, &text);
  FG_CHECK(status.ok(), "[SentencePieceTokenizer] decode failed: {}", status.ToString());
  return text;
}

}  // namespace fg::tokenizer
