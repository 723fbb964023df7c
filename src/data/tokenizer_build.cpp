#include "data/tokenizer_build.h"

#include "core/check.h"
#include "tokenizer/tokenizer_config.h"

namespace fg::data {

namespace fs = std::filesystem;

std::unique_ptr<tokenizer::SentencePieceTokenizer> train_on_documents(
    const std::vector<std::string>& documents, const tokenizer::TrainTokenizerOptions& options) {
  size_t next = 0;
  return tokenizer::train_sentencepiece(options, [&](std::string& doc) {
    if (next == documents.size()) return false;
    doc = documents[next++];
    return true;
  });
}

std::unique_ptr<tokenizer::Tokenizer> load_or_train(const LoadOrTrainOptions& o) {
  FG_CHECK(!o.dir.empty(), "[load_or_train] expected a tokenizer directory, got an empty path");
  if (tokenizer::holds_tokenizer(o.dir)) return tokenizer::load_tokenizer(o.dir);
  if (o.on_message)
    o.on_message(fmt::format("tokenizer {} has not been trained yet; training it (vocab {})",
                             o.dir.string(), o.train.vocab_size));
  auto docs = load_documents(o.source);
  auto tok = train_on_documents(docs, o.train);
  tok->save(o.dir);
  if (o.on_message)
    o.on_message(
        fmt::format("saved tokenizer ({} tokens) to {}", tok->vocab_size(), o.dir.string()));
  return tok;
}

}  // namespace fg::data
