// preprocess_dataset (tokenise with the on-disk cache, truncate or cut into blocks) and
// DataCollatorForCausalLM (spec-ml §4.2–§4.4).
#include <iostream>

#include <fmt/format.h>
#include <unistd.h>

#include "builders/builder_util.h"
#include "builders/data_components.h"
#include "builders/register_all.h"
#include "data/progress.h"

namespace fg::builders {

using config::CallArgs;
using config::Object;

namespace {

// fn_kwargs of the original map function: truncation/max_length, or block packing options.
data::SampleOptions sample_options(const Object& kw, const tokenizer::Tokenizer& tok,
                                   data::TokenizeOptions& tokenize) {
  data::SampleOptions s;
  s.max_length = tok.model_max_length();
  if (kw.is_none()) return s;
  CallArgs a({}, kw.as_dict(), "preprocess_dataset.fn_kwargs", kw.where(), kw.key_path());
  const bool truncation = a.get_bool("truncation", -1, true);
  s.max_length = truncation ? a.get_int("max_length", -1, tok.model_max_length()) : 0;
  const std::string mode = a.get_string("mode", -1, "truncate");  // C++ spelling of the
  s.mode = data::parse_sample_mode(mode);                         // block tokenizer
  if (a.get_bool("packed", -1, false)) s.mode = data::SampleMode::kPacked;
  s.block_size = a.get_int("block_size", -1, s.block_size);
  s.stride = a.get_int("stride", -1, 0);
  s.overflow = a.get_bool("overflow", -1, true);
  s.min_len = a.get_int("min_len", -1, 1);
  s.max_doc_len = a.get_int("max_len", -1, 0);
  const bool blocks = s.mode != data::SampleMode::kTruncate;
  tokenize.add_bos = a.get_bool("add_bos", -1, true);
  tokenize.add_eos = a.get_bool("add_eos", -1, blocks);
  a.finish();
  s.validate();
  return s;
}

Object build_preprocess(CallArgs& a) {
  const auto split =
      a.required("dataset", 0).as<TextSplit>("a dataset split (datasets:load_dataset)");
  const auto tok = tokenizer_of(a.required("tokenizer", 1), "preprocess_dataset");
  const std::string desc = a.get_string("desc", -1, "Tokenizing");
  const Object kw = a.value("fn_kwargs", -1, Object::none());
  const int64_t num_proc = a.get_int("num_proc", -1, 0);
  a.finish();
  data::TokenizeOptions t;
  t.num_threads = num_proc;
  const data::SampleOptions s = sample_options(kw, *tok, t);
  data::ProgressLine progress(std::cerr, desc, ::isatty(2) != 0);
  t.on_progress = [&](int64_t done, int64_t total) {
    progress.update(static_cast<double>(done), static_cast<double>(total), "docs");
  };
  t.on_message = [](const std::string& m) { std::cerr << m << "\n"; };
  auto out = std::make_shared<TokenizedSamples>();
  out->dataset = std::make_unique<data::TokenizedDataset>(
      data::TokenizedDataset::build(split->documents, *tok, t));
  out->samples = std::make_unique<data::SampleSet>(*out->dataset, s);
  out->description =
      fmt::format("{} {}: {} documents, {} tokens, {} samples", split->source, split->split,
                  out->dataset->size(), out->dataset->num_tokens(), out->samples->size());
  progress.finish(out->dataset->loaded_from_cache() ? "(cached)" : "");
  return Object::component(out, "TokenizedDataset");
}

Object build_collator(CallArgs& a) {
  const auto tok = tokenizer_of(a.required("tokenizer", 0), "DataCollatorForCausalLM");
  auto spec = std::make_shared<CollatorSpec>();
  spec->options.pad_id = tok->pad_id();
  spec->options.truncation = a.get_bool("truncation", 1, false);
  spec->options.ignore_index = a.get_int("ignore_index", 2, -100);
  spec->options.max_length = a.get_int("max_length", -1, tok->model_max_length());
  const std::string padding = a.get_string("padding", -1, "longest");
  if (padding != "longest" && padding != "max_length")
    a.fail("padding must be 'longest' or 'max_length', found '" + padding + "'");
  spec->options.pad_to_max_length = padding == "max_length";
  const std::string tensors = a.get_string("return_tensors", -1, "pt");
  if (tensors != "pt") a.fail("return_tensors must be 'pt', found '" + tensors + "'");
  a.finish();
  spec->options.validate();
  return Object::component(spec, "DataCollator");
}

}  // namespace

void register_data_prep(config::Registry& r) {
  add_entry(r, config::Capability::kData, "forgather.ml.datasets:preprocess_dataset",
            {"preprocess_dataset"}, "Tokenize a split (cached on disk) into samples",
            {{"dataset", "Dataset", "", "a datasets:load_dataset split"},
             {"tokenizer", "Tokenizer", "", "the tokenizer"},
             {"desc", "str", "Tokenizing", "progress label"},
             {"fn_kwargs", "dict", "None",
              "truncation (True), max_length; or mode: blocks|packed, block_size, stride, "
              "overflow, min_len, max_len, add_bos, add_eos"},
             {"num_proc", "int", "0", "tokenizer threads (0: all cores)"}},
            build_preprocess);
  add_entry(r, config::Capability::kData, "forgather.ml.data_collator:DataCollatorForCausalLM",
            {"DataCollatorForCausalLM"},
            "Right-pads a batch with the pad id; labels = ids with pads ignored",
            {{"tokenizer", "Tokenizer", "", "gives the pad id and model_max_length"},
             {"truncation", "bool", "False", "cut samples to max_length"},
             {"ignore_index", "int", "-100", "label of padding"},
             {"max_length", "int", "tokenizer.model_max_length", "truncation length"},
             {"padding", "str", "longest", "longest | max_length"},
             {"return_tensors", "str", "pt", "accepted for compatibility"}},
            build_collator);
}

}  // namespace fg::builders
