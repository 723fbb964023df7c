#include "cli/commands/tokenizer_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands/tokenizer_stats.h"
#include "cli/number_options.h"
#include "core/check.h"
#include "core/checked_fs.h"
#include "core/timer.h"
#include "data/progress.h"
#include "data/synthetic_stories.h"
#include "data/text_source.h"
#include "data/tokenizer_build.h"

namespace fg::cli {

namespace {

struct Io {
  std::ostream& out;
  std::istream& in;
  std::ostream& err;
  bool interactive;
};

struct SourceArgs {
  std::vector<std::string> inputs;
  std::string format = "auto";
  std::string text_field = "text";

  data::DataSourceOptions options(const Io& io) const {
    data::DataSourceOptions o;
    o.paths = inputs;
    o.format = data::parse_text_format(format);
    o.text_field = text_field;
    o.on_download_progress =
        data::progress_callback(io.err, "downloading", io.interactive, "MB", 1e-6);
    return o;
  }
};

void add_source_flags(CLI::App* cmd, SourceArgs& a) {
  cmd->add_option("--format", a.format, "auto, separated, jsonl, lines or file")
      ->capture_default_str();
  cmd->add_option("--text-field", a.text_field, "JSONL field holding the text")
      ->capture_default_str();
}

// Vocabulary sizes, story counts and lengths: far beyond any real use, and small enough that
// nothing built from them overflows.
constexpr int64_t kMaxCount = int64_t{1} << 24;

struct TrainArgs {
  SourceArgs source;
  int64_t vocab_size = 2000;
  std::string out_dir;
  int64_t threads = 0;
  int64_t max_length = 2048;
  int64_t synthetic = 0;  // train on this many embedded synthetic stories instead of --input
};

void run_train(const TrainArgs& a, const Io& io) {
  tokenizer::TrainTokenizerOptions o;
  o.vocab_size = a.vocab_size;
  o.num_threads = a.threads;
  o.model_max_length = a.max_length;
  o.validate();
  FG_CHECK(a.source.inputs.empty() != (a.synthetic == 0),
           "[tokenizer train] expected either --input or --synthetic N, got {}",
           a.synthetic ? "both" : "neither");
  auto docs = a.synthetic > 0
                  ? data::synthetic_stories({.seed = 20240601, .first = 0, .count = a.synthetic})
                  : data::load_documents(a.source.options(io));
  auto progress =
      std::make_shared<data::ProgressLine>(io.err, "training tokenizer", io.interactive);
  o.on_progress = [progress](const tokenizer::TrainProgress& p) {
    if (p.stage != "done")
      progress->update(static_cast<double>(p.documents), -1, "docs " + p.stage);
  };
  auto tok = data::train_on_documents(docs, o);
  progress->finish();
  tok->save(a.out_dir);
  io.out << fmt::format("saved tokenizer (vocab {}, trained on {} documents) to {}\n",
                        tok->vocab_size(), docs.size(), a.out_dir);
}

struct EncodeArgs {
  SourceArgs source;
  std::string tokenizer_dir;
  bool stats = false;
  bool no_bos = false;
  bool eos = false;
};

void run_encode(const EncodeArgs& a, const Io& io) {
  auto tok = tokenizer::load_tokenizer(a.tokenizer_dir);
  auto docs = data::load_documents(a.source.options(io));
  tokenizer::EncodeOptions eo{!a.no_bos, a.eos};
  EncodeStats stats;
  auto ids = encode_documents(*tok, docs, eo, stats);
  if (a.stats) {
    io.out << format_stats(stats);
    return;
  }
  for (const auto& doc : ids) {
    for (size_t i = 0; i < doc.size(); ++i) io.out << (i ? " " : "") << doc[i];
    io.out << "\n";
  }
}

struct DecodeArgs {
  std::string tokenizer_dir;
  std::string input;
  bool keep_special = false;
};

void run_decode(const DecodeArgs& a, const Io& io) {
  auto tok = tokenizer::load_tokenizer(a.tokenizer_dir);
  std::ifstream file;
  if (!a.input.empty()) {
    // A pipe is a fine source of ids here (e.g. process substitution); a directory is not.
    if (file_type_of(a.input, "tokenizer decode") == std::filesystem::file_type::directory)
      throw path_error("tokenizer decode", "read", a.input, "it is a directory");
    file.open(a.input);
    if (!file) throw IoError(fmt::format("[tokenizer decode] cannot read {}", a.input));
  }
  std::istream& in = a.input.empty() ? io.in : file;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::vector<int32_t> ids = parse_id_line(line, a.input.empty() ? "<stdin>" : a.input, number);
    if (number > 1) io.out << "\n<|endoftext|>\n";
    io.out << tok->decode(ids, {.skip_special_tokens = !a.keep_special});
  }
  if (number > 0) io.out << "\n";
}

}  // namespace

void add_tokenizer_command(CLI::App& app, std::ostream& out, std::istream& in, std::ostream& err,
                           bool interactive_progress) {
  auto io = std::make_shared<Io>(Io{out, in, err, interactive_progress});
  CLI::App* cmd = app.add_subcommand("tokenizer", "Train, run and inspect tokenizers");
  cmd->require_subcommand(1);

  auto train = std::make_shared<TrainArgs>();
  CLI::App* t = cmd->add_subcommand("train", "Train a SentencePiece BPE tokenizer (byte fallback)");
  t->add_option("--input", train->source.inputs, "Files, globs, directories or URLs");
  add_int_option(*t, "--synthetic", train->synthetic,
                 "Train on N embedded SYNTHETIC stories (offline) instead of --input", 0, kMaxCount)
      ->default_str("");
  add_int_option(*t, "--vocab-size", train->vocab_size, "Vocabulary size", 1, kMaxCount);
  t->add_option("--out", train->out_dir, "Directory to save the tokenizer in")->required();
  add_int_option(*t, "--threads", train->threads, "Training threads (0: all cores)", 0, 1024)
      ->default_str("");
  add_int_option(*t, "--model-max-length", train->max_length, "model_max_length to record", 1,
                 kMaxCount);
  add_source_flags(t, train->source);
  t->callback([train, io] { run_train(*train, *io); });

  auto encode = std::make_shared<EncodeArgs>();
  CLI::App* e = cmd->add_subcommand("encode", "Encode documents to token ids");
  e->add_option("--tokenizer", encode->tokenizer_dir, "Tokenizer directory")->required();
  e->add_flag("--stats", encode->stats, "Print statistics instead of ids");
  e->add_flag("--no-bos", encode->no_bos, "Do not prepend BOS");
  e->add_flag("--eos", encode->eos, "Append EOS");
  e->add_option("file", encode->source.inputs, "Input file(s)")->required();
  add_source_flags(e, encode->source);
  e->callback([encode, io] { run_encode(*encode, *io); });

  auto decode = std::make_shared<DecodeArgs>();
  CLI::App* d = cmd->add_subcommand("decode", "Decode lines of token ids back to text");
  d->add_option("--tokenizer", decode->tokenizer_dir, "Tokenizer directory")->required();
  d->add_flag("--keep-special", decode->keep_special, "Print special tokens as text");
  d->add_option("file", decode->input, "File of id lines (default: stdin)");
  d->callback([decode, io] { run_decode(*decode, *io); });
}

void add_tokenizer_command(CLI::App& app) {
  add_tokenizer_command(app, std::cout, std::cin, std::cerr, ::isatty(2) != 0);
}

}  // namespace fg::cli
