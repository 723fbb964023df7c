#include "tokenizer/tokenizer_trainer.h"

#include <sentencepiece_trainer.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/check.h"
#include "core/timer.h"
#include "tokenizer/unicode.h"

namespace fg::tokenizer {

void TrainTokenizerOptions::validate() const {
  special_tokens.validate();
  FG_CHECK(vocab_size >= kMinVocab,
           "[TokenizerTrainer] vocab_size {} is too small: the {} special tokens and 256 "
           "byte-fallback pieces need at least {}",
           vocab_size, SpecialTokens::kCount, kMinVocab);
  FG_CHECK(character_coverage > 0 && character_coverage <= 1,
           "[TokenizerTrainer] expected character_coverage in (0, 1], got {}", character_coverage);
  FG_CHECK(num_threads >= 0, "[TokenizerTrainer] expected num_threads >= 0, got {}", num_threads);
  FG_CHECK(model_max_length > 0, "[TokenizerTrainer] expected model_max_length > 0, got {}",
           model_max_length);
}

namespace {

// Adapts a DocumentFeed to SentencePiece: NFC-normalises and UTF-8-checks each document, and
// keeps any exception to rethrow after training (it must not unwind through SentencePiece).
class FeedIterator : public sentencepiece::SentenceIterator {
 public:
  FeedIterator(const DocumentFeed& feed, const TrainTokenizerOptions& options)
      : feed_(feed), options_(options) {
    Next();
  }
  bool done() const override { return done_; }
  void Next() override {
    try {
      std::string raw;
      done_ = !feed_(raw);
      if (done_) return;
      check_utf8(raw, fmt::format("training document {}", documents_ + 1));
      value_ = nfc(raw);
      if (static_cast<int64_t>(value_.size()) > options_.max_document_bytes)
        value_.resize(static_cast<size_t>(options_.max_document_bytes));
      ++documents_;
      bytes_ += static_cast<int64_t>(raw.size());
      if (options_.on_progress && progress_timer_.seconds() > 0.5) {
        options_.on_progress({"reading", documents_, bytes_, timer_.seconds()});
        progress_timer_.reset();
      }
    } catch (...) {
      error_ = std::current_exception();
      done_ = true;
    }
  }
  const std::string& value() const override { return value_; }
  sentencepiece::util::Status status() const override {
    if (error_) return {sentencepiece::util::StatusCode::kInternal, "document feed failed"};
    return {};
  }
  std::exception_ptr error() const { return error_; }
  int64_t documents() const { return documents_; }
  int64_t bytes() const { return bytes_; }

 private:
  const DocumentFeed& feed_;
  const TrainTokenizerOptions& options_;
  std::string value_;
  // Atomic: the heartbeat thread reads them while SentencePiece pulls documents.
  std::atomic<bool> done_ = false;
  std::atomic<int64_t> documents_ = 0;
  std::atomic<int64_t> bytes_ = 0;
  std::exception_ptr error_;
  Timer timer_;
  Timer progress_timer_;
};

std::unordered_map<std::string, std::string> trainer_args(const TrainTokenizerOptions& o) {
  const SpecialTokens& s = o.special_tokens;
  int64_t threads = o.num_threads > 0 ? o.num_threads : std::thread::hardware_concurrency();
  return {{"model_type", "bpe"},
          {"vocab_size", std::to_string(o.vocab_size)},
          {"byte_fallback", "true"},
          {"normalization_rule_name", "identity"},
          {"remove_extra_whitespaces", "false"},
          {"add_dummy_prefix", "false"},
          {"allow_whitespace_only_pieces", "true"},
          {"split_digits", o.split_digits ? "true" : "false"},
          {"character_coverage", std::to_string(o.character_coverage)},
          {"bos_id", std::to_string(s.bos_id)},
          {"pad_id", std::to_string(s.pad_id)},
          {"eos_id", std::to_string(s.eos_id)},
          {"unk_id", std::to_string(s.unk_id)},
          {"bos_piece", s.bos},
          {"pad_piece", s.pad},
          {"eos_piece", s.eos},
          {"unk_piece", s.unk},
          {"max_sentence_length", std::to_string(o.max_document_bytes)},
          {"num_threads", std::to_string(std::max<int64_t>(threads, 1))},
          {"hard_vocab_limit", "false"},
          {"minloglevel", "2"},
          {"model_prefix", ""}};
}

// Once every document is read, calls on_progress("training") every half second until stopped.
class Heartbeat {
 public:
  Heartbeat(const TrainTokenizerOptions& o, const FeedIterator& it) {
    if (!o.on_progress) return;
    thread_ = std::jthread([&o, &it, this](std::stop_token stop) {
      Timer timer;
      std::unique_lock lock(mutex_);
      while (!stop.stop_requested()) {
        cv_.wait_for(lock, stop, std::chrono::milliseconds(500), [] { return false; });
        if (!stop.stop_requested() && it.done())
          o.on_progress({"training", it.documents(), it.bytes(), timer.seconds()});
      }
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: joined before the mutex dies
};

}  // namespace

std::unique_ptr<SentencePieceTokenizer> train_sentencepiece(const TrainTokenizerOptions& options,
                                                            const DocumentFeed& feed) {
  options.validate();
  Timer timer;
  FeedIterator it(feed, options);
  if (it.error()) std::rethrow_exception(it.error());
  if (it.done())
    throw Error("[TokenizerTrainer] expected training text, but the input had 0 documents");
  std::string proto;
  sentencepiece::util::Status status;
  {
    Heartbeat heartbeat(options, it);
    status = sentencepiece::SentencePieceTrainer::Train(trainer_args(options), &it, &proto);
  }
  if (it.error()) std::rethrow_exception(it.error());
  FG_CHECK(it.bytes() > 0,
           "[TokenizerTrainer] expected training text, but all {} documents were empty",
           it.documents());
  FG_CHECK(status.ok(), "[TokenizerTrainer] SentencePiece training failed after {} documents: {}",
           it.documents(), status.ToString());
  TokenizerConfig config;
  config.special_tokens = options.special_tokens;
  config.model_max_length = options.model_max_length;
  auto tokenizer = std::make_unique<SentencePieceTokenizer>(config, std::move(proto));
  if (options.on_progress)
    options.on_progress({"done", it.documents(), it.bytes(), timer.seconds()});
  return tokenizer;
}

}  // namespace fg::tokenizer
