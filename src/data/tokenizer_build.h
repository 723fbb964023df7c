#pragma once
// load_or_train: what the builders call for a tokenizer a config names. A directory that holds a
// tokenizer is loaded; otherwise the tokenizer is trained from the source (with a message and
// progress), saved there, and returned.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "data/text_source.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_trainer.h"

namespace fg::data {

struct LoadOrTrainOptions {
  std::filesystem::path dir;
  tokenizer::TrainTokenizerOptions train;
  DataSourceOptions source;  // used only when training
  std::function<void(const std::string&)> on_message;
};

std::unique_ptr<tokenizer::Tokenizer> load_or_train(const LoadOrTrainOptions& options);

// Trains a SentencePiece tokenizer on every document of `documents` (no file reading).
std::unique_ptr<tokenizer::SentencePieceTokenizer> train_on_documents(
    const std::vector<std::string>& documents, const tokenizer::TrainTokenizerOptions& options);

}  // namespace fg::data
