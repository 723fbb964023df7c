// Registry entries for tokenizers and data: load_or_train_bpe, load_dataset, preprocess_dataset
// and DataCollatorForCausalLM (spec-ml §3–§4), with progress messages on stderr.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include <fmt/format.h>

#include "builders/builder_util.h"
#include "builders/data_components.h"
#include "builders/register_all.h"
#include "data/progress.h"
#include "data/synthetic_stories.h"
#include "data/text_source.h"
#include "data/tinystories.h"
#include "data/tokenizer_build.h"

namespace fg::builders {

namespace fs = std::filesystem;
using config::ArgDoc;
using config::CallArgs;
using config::Object;

bool TokenizerHandle::attribute(const std::string& name, Object* out) const {
  if (name == "pad_token_id")
    *out = Object::integer(tok_->pad_id());
  else if (name == "bos_token_id")
    *out = Object::integer(tok_->bos_id());
  else if (name == "eos_token_id")
    *out = Object::integer(tok_->eos_id());
  else if (name == "unk_token_id")
    *out = Object::integer(tok_->unk_id());
  else if (name == "vocab_size" || name == "__len__")
    *out = Object::integer(tok_->vocab_size());
  else if (name == "model_max_length")
    *out = Object::integer(tok_->model_max_length());
  else
    return false;
  return true;
}

std::vector<std::string> TokenizerHandle::attribute_names() const {
  return {"pad_token_id", "bos_token_id",     "eos_token_id", "unk_token_id",
          "vocab_size",   "model_max_length", "__len__"};
}

std::shared_ptr<tokenizer::Tokenizer> tokenizer_of(const Object& value, const std::string& what) {
  return value.as<TokenizerHandle>("a tokenizer for " + what)->get();
}

bool use_synthetic_stories(const std::string& source) {
  if (source == "synthetic" || source == "forgather/synthetic_stories") return true;
  const char* env = std::getenv("FORGATHER_DATASET");
  return source == "roneneldan/TinyStories" && env && std::string(env) == "synthetic";
}

namespace {

void message(const std::string& text) {
  std::cerr << text << "\n";
}

// Local files, globs or URLs; the split's slice ("train[:10%]") selects documents.
data::DataSourceOptions file_source(std::vector<std::string> paths, const std::string& split) {
  data::DataSourceOptions o;
  o.paths = std::move(paths);
  o.slice = data::parse_split_spec(split.empty() ? "train" : split).slice;
  return o;
}

std::vector<std::string> load_split(const std::string& source, const std::string& split,
                                    const std::vector<std::string>& files) {
  if (use_synthetic_stories(source)) return data::synthetic_split(split);
  if (source == "roneneldan/TinyStories")
    return data::load_documents(
        data::tinystories_source(split, data::TinyStoriesOptions::from_environment()));
  return data::load_documents(
      file_source(files.empty() ? std::vector<std::string>{source} : files, split));
}

Object build_tokenizer(CallArgs& a) {
  fs::path path = a.required("path", 0).as_string();
  data::LoadOrTrainOptions o;
  o.train.vocab_size = a.get_int("vocab_size", 1, 2000);
  o.train.model_max_length = a.get_int("model_max_length", 2, 2048);
  const std::string source = a.get_string("dataset", 3, "roneneldan/TinyStories");
  const std::string split = a.get_string("split", 4, "train");
  a.finish();
  const bool synthetic = use_synthetic_stories(source);
  if (synthetic) path += "_synthetic";
  o.dir = path;
  o.on_message = message;
  std::shared_ptr<tokenizer::Tokenizer> tok;
  if (fs::exists(path / "tokenizer_config.json") || !synthetic) {
    if (!synthetic)
      o.source = source == "roneneldan/TinyStories"
                     ? data::tinystories_source(split, data::TinyStoriesOptions::from_environment())
                     : file_source({source}, split);
    data::ProgressLine progress(std::cerr, "training tokenizer", ::isatty(2) != 0);
    o.train.on_progress = [&](const tokenizer::TrainProgress& p) {
      progress.update(static_cast<double>(p.documents), 0, p.stage + " docs");
    };
    tok = data::load_or_train(o);
  } else {
    message(fmt::format("training tokenizer {} on the synthetic stories (vocab {})", path.string(),
                        o.train.vocab_size));
    auto sp = data::train_on_documents(data::synthetic_split(split), o.train);
    sp->save(path);
    tok = std::move(sp);
  }
  return Object::component(std::make_shared<TokenizerHandle>(tok), "Tokenizer");
}

Object build_load_dataset(CallArgs& a) {
  auto split = std::make_shared<TextSplit>();
  const Object* arg0 = a.get("arg0");  // the templates' `arg0:` spelling of the first argument
  split->source = arg0 ? arg0->as_string() : a.required("path", 0).as_string();
  split->split = a.get_string("split", 1, "train");
  std::vector<std::string> files;
  const Object df = a.value("data_files", -1, Object::none());
  if (df.type() == Object::Type::kString)
    files.push_back(df.as_string());
  else if (!df.is_none())
    for (const Object& f : df.as_list()) files.push_back(f.as_string());
  a.finish();
  message(
      fmt::format("loading dataset {} split {}{}", split->source, split->split,
                  use_synthetic_stories(split->source) ? " (the embedded synthetic stories)" : ""));
  split->documents = load_split(split->source, split->split, files);
  if (split->documents.empty())
    a.fail(fmt::format("split '{}' of {} holds no documents", split->split, split->source));
  return Object::component(split, "Dataset");
}

}  // namespace

void register_data_sources(config::Registry& r) {
  add_entry(r, config::Capability::kTokenizer, "forgather.ml.tokenizer:load_or_train_bpe",
            {"load_or_train_bpe"},
            "Load the BPE tokenizer in `path`, training it first when missing",
            {{"path", "str", "", "tokenizer directory"},
             {"vocab_size", "int", "2000", "vocabulary size when training"},
             {"model_max_length", "int", "2048", "truncation length"},
             {"dataset", "str", "roneneldan/TinyStories", "training corpus (or a path)"},
             {"split", "str", "train", "split of the corpus"}},
            build_tokenizer);
  add_entry(r, config::Capability::kData, "datasets:load_dataset", {"load_dataset"},
            "Documents of a dataset split (TinyStories, files/globs/URLs, synthetic)",
            {{"path", "str", "", "roneneldan/TinyStories, synthetic, a file, glob, dir or URL"},
             {"split", "str", "train", "split spec: train, train[:10%], validation[0:500]"},
             {"data_files", "str|list", "None", "files to read instead of `path`"}},
            build_load_dataset);
}

}  // namespace fg::builders
