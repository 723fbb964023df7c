#pragma once
// A small SentencePiece tokenizer (vocabulary 600, two threads) trained on `docs`, for tests
// that need a real model quickly.
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/tokenizer_trainer.h"

namespace fg::tokenizer::testing {

inline std::unique_ptr<SentencePieceTokenizer> small_sentencepiece(
    const std::vector<std::string>& docs) {
  TrainTokenizerOptions options;
  options.vocab_size = 600;
  options.num_threads = 2;
  size_t next = 0;
  return train_sentencepiece(options, [&](std::string& doc) {
    if (next >= docs.size()) return false;
    doc = docs[next++];
    return true;
  });
}

}  // namespace fg::tokenizer::testing
