#pragma once
// Trains the SentencePiece BPE tokenizer (byte fallback, identity rule over our own NFC, no dummy
// prefix, whitespace kept verbatim) with the specials at fixed ids.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "tokenizer/sentencepiece_tokenizer.h"

namespace fg::tokenizer {

struct TrainProgress {
  std::string stage;  // "reading", "training" or "done"
  int64_t documents = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

struct TrainTokenizerOptions {
  int64_t vocab_size = 2000;
  SpecialTokens special_tokens;
  int64_t model_max_length = 2048;
  bool split_digits = true;
  // Characters rarer than this share of the text are left to byte fallback.
  double character_coverage = 0.9999;
  int64_t num_threads = 0;  // 0: all hardware threads
  // Longer documents are cut to this many bytes for training only (encoding is unaffected).
  int64_t max_document_bytes = 1 << 20;
  // Called while reading, every ~0.5 s while training, and once at the end; may be empty.
  std::function<void(const TrainProgress&)> on_progress;

  // 4 specials + 256 byte pieces + at least one more.
  static constexpr int64_t kMinVocab = SpecialTokens::kCount + 256 + 1;
  void validate() const;
};

// Pulls the next training document into `doc`; returns false at the end.
using DocumentFeed = std::function<bool(std::string& doc)>;

std::unique_ptr<SentencePieceTokenizer> train_sentencepiece(const TrainTokenizerOptions& options,
                                                            const DocumentFeed& feed);

}  // namespace fg::tokenizer
