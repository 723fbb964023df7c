#pragma once
// The components the data builders hand to each other and to the trainer: a tokenizer (with the
// attributes configs read through getattr/len), a split of raw documents, tokenized samples and
// the collator settings.
#include <memory>
#include <string>
#include <vector>

#include "config/object.h"
#include "data/collator.h"
#include "data/samples.h"
#include "data/tokenized_dataset.h"
#include "tokenizer/tokenizer.h"

namespace fg::builders {

class TokenizerHandle : public config::HasAttributes {
 public:
  explicit TokenizerHandle(std::shared_ptr<tokenizer::Tokenizer> tok) : tok_(std::move(tok)) {}
  const std::shared_ptr<tokenizer::Tokenizer>& get() const { return tok_; }
  bool attribute(const std::string& name, config::Object* out) const override;
  std::vector<std::string> attribute_names() const override;

 private:
  std::shared_ptr<tokenizer::Tokenizer> tok_;
};

struct TextSplit {
  std::string source;  // "roneneldan/TinyStories", a path, "synthetic"
  std::string split;   // "train[:10%]"
  std::vector<std::string> documents;
};

// Tokens cached on disk plus the samples cut from them (SampleSet refers to the dataset).
struct TokenizedSamples {
  std::string description;
  std::unique_ptr<data::TokenizedDataset> dataset;
  std::unique_ptr<data::SampleSet> samples;
};

struct CollatorSpec {
  data::CollatorOptions options;
};

// The tokenizer a config value holds (TokenizerHandle component).
std::shared_ptr<tokenizer::Tokenizer> tokenizer_of(const config::Object& value,
                                                   const std::string& what);

// FORGATHER_DATASET=synthetic replaces TinyStories by the embedded synthetic stories (offline
// quickstart); tokenizers trained on it live in "<path>_synthetic" so the two never mix.
bool use_synthetic_stories(const std::string& source);

}  // namespace fg::builders
