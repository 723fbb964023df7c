// The learning run of issue 5: trains the example ALiBi-GLU model (spec-ml §0.3) on TinyStories
// text with the C++ Trainer (batch 8, max_length 512, AdamW lr 3e-4, wd 0.01, warmup 100, linear
// decay, dropout as the example) and evaluates on the first valid stories. It writes the token ids
// it trained and evaluated on (one sample per line, in train order) so tools/pytorch_peer.py trains
// on exactly the same batches, and a JSON summary (eval curve, train losses, wall time, tokens/s).
//   learning_run --data DIR --output DIR [--steps 600] [--eval-steps 100] [--logging-steps 10]
//                [--tokenizer DIR] [--threads 2] [--seed 42] [--max-valid 500]
//                [--bf16 0|1] [--layers 6]   (bf16 mixed precision; a reduced model)
//                [--expect-initial LO:HI] [--expect-fall X] [--expect-final-below X]
// Exits 1 when an --expect check fails (the CI test uses them).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/timer.h"
#include "data/samples.h"
#include "data/text_source.h"
#include "data/tokenized_dataset.h"
#include "data/tokenizer_build.h"
#include "formats/json_log.h"
#include "nn/causal_transformer.h"
#include "tensor/device.h"
#include "train/trainer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Args {
  fs::path data = "/work/shared/data/tinystories-lc";
  fs::path output = "learning_run_out";
  fs::path tokenizer;  // empty: <output>/tokenizer
  int64_t steps = 600, eval_steps = 100, logging_steps = 10, max_valid = 500;
  int64_t batch = 8, max_length = 512, seed = 42;
  int threads = 2;
  bool bf16 = false;
  int64_t layers = 6;
  double expect_lo = -INFINITY, expect_hi = INFINITY, expect_final_below = INFINITY;
  double expect_fall = -INFINITY;  // the final eval loss must be this much below the initial
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) throw fg::Error("[learning_run] " + k + " needs a value");
    const std::string v = argv[++i];
    if (k == "--data")
      a.data = v;
    else if (k == "--output")
      a.output = v;
    else if (k == "--tokenizer")
      a.tokenizer = v;
    else if (k == "--steps")
      a.steps = std::stoll(v);
    else if (k == "--eval-steps")
      a.eval_steps = std::stoll(v);
    else if (k == "--logging-steps")
      a.logging_steps = std::stoll(v);
    else if (k == "--max-valid")
      a.max_valid = std::stoll(v);
    else if (k == "--batch")
      a.batch = std::stoll(v);
    else if (k == "--max-length")
      a.max_length = std::stoll(v);
    else if (k == "--seed")
      a.seed = std::stoll(v);
    else if (k == "--threads")
      a.threads = std::stoi(v);
    else if (k == "--bf16")
      a.bf16 = v == "1";
    else if (k == "--layers")
      a.layers = std::stoll(v);
    else if (k == "--expect-final-below")
      a.expect_final_below = std::stod(v);
    else if (k == "--expect-fall")
      a.expect_fall = std::stod(v);
    else if (k == "--expect-initial") {
      const auto colon = v.find(':');
      if (colon == std::string::npos)
        throw fg::Error("[learning_run] --expect-initial expects LO:HI, got " + v);
      a.expect_lo = std::stod(v.substr(0, colon));
      a.expect_hi = std::stod(v.substr(colon + 1));
    } else {
      throw fg::Error("[learning_run] unknown argument " + k);
    }
  }
  if (a.tokenizer.empty()) a.tokenizer = a.output / "tokenizer";
  return a;
}

std::vector<std::string> load_split(const fs::path& file, int64_t limit) {
  fg::data::DataSourceOptions src;
  src.paths = {file.string()};
  std::vector<std::string> docs = fg::data::load_documents(src);
  if (limit >= 0 && static_cast<int64_t>(docs.size()) > limit) docs.resize(limit);
  return docs;
}

// One sample per line, space-separated ids, in the order the Trainer reads them. Written to a
// temporary file and renamed, so a peer waiting for the file never reads part of it.
void write_samples(const fg::data::SampleSet& samples, const fs::path& path) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    for (int64_t i = 0; i < samples.size(); ++i) {
      const fg::data::Sample s = samples.get(i);
      for (size_t j = 0; j < s.input_ids.size(); ++j) out << (j ? " " : "") << s.input_ids[j];
      out << '\n';
    }
    if (!out.flush()) throw fg::IoError("[learning_run] cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

fg::train::TrainingArguments training_arguments(const Args& a) {
  fg::train::TrainingArguments t;
  t.output_dir = (a.output / "model").string();
  t.logging_dir = (a.output / "logs").string();
  t.overwrite_output_dir = true;
  t.max_steps = a.steps;
  t.num_train_epochs = 1000;  // max_steps decides
  t.per_device_train_batch_size = a.batch;
  t.per_device_eval_batch_size = a.batch;
  t.learning_rate = 3e-4;
  t.weight_decay = 0.01;
  t.lr_scheduler_type = "linear";
  t.warmup_steps = 100;
  t.logging_steps = a.logging_steps;
  t.eval_strategy = fg::train::IntervalStrategy::Steps;
  t.eval_steps = a.eval_steps;
  t.save_strategy = fg::train::IntervalStrategy::No;
  t.seed = a.seed;
  t.bf16 = a.bf16;
  return t;
}

// The eval curve and the logged train losses from the Trainer's JSON log.
void read_curves(const fs::path& log, json& eval, json& train) {
  for (const auto& rec : fg::formats::read_json_log(log)) {
    if (auto v = rec.number("eval_loss"))
      eval.push_back({{"step", rec.global_step()}, {"loss", *v}});
    if (auto v = rec.number("loss")) train.push_back({{"step", rec.global_step()}, {"loss", *v}});
  }
}

int run(const Args& a) {
  fg::Timer wall;
  fg::set_num_threads(a.threads);
  fs::create_directories(a.output);
  fg::data::LoadOrTrainOptions lo;
  lo.dir = a.tokenizer;
  lo.train.vocab_size = 2000;
  lo.train.num_threads = a.threads;
  lo.source.paths = {(a.data / "train.txt").string()};
  lo.on_message = [](const std::string& m) { std::printf("%s\n", m.c_str()); };
  std::shared_ptr<const fg::tokenizer::Tokenizer> tok = fg::data::load_or_train(lo);

  fg::data::TokenizeOptions to;
  to.cache_dir = a.output / "token_cache";
  to.num_threads = a.threads;
  auto train_tokens =
      fg::data::TokenizedDataset::build(load_split(a.data / "train.txt", -1), *tok, to);
  auto valid_tokens =
      fg::data::TokenizedDataset::build(load_split(a.data / "valid.txt", a.max_valid), *tok, to);
  fg::data::SampleOptions so;
  so.max_length = a.max_length;
  auto train = std::make_shared<fg::data::SampleSet>(train_tokens, so);
  auto valid = std::make_shared<fg::data::SampleSet>(valid_tokens, so);
  write_samples(*train, a.output / "train_tokens.txt");
  write_samples(*valid, a.output / "valid_tokens.txt");
  std::printf("train: %lld stories, %lld tokens; valid: %lld stories\n",
              static_cast<long long>(train->size()),
              static_cast<long long>(train_tokens.num_tokens()),
              static_cast<long long>(valid->size()));

  fg::nn::CausalTransformerConfig mc;
  mc.vocab_size = tok->vocab_size();
  mc.num_hidden_layers = a.layers;
  fg::Rng rng(static_cast<uint64_t>(a.seed));
  fg::train::TrainerInputs in;
  in.model = std::shared_ptr<fg::nn::CausalLM>(fg::nn::make_causal_transformer(mc, rng));
  in.train_samples = train;
  in.eval_samples = valid;
  in.collator.pad_id = tok->pad_id();
  in.tokenizer = tok;
  in.config_name = "learning_run";
  in.config_text = "learning_run: example ALiBi-GLU\n";
  fg::train::Trainer trainer(training_arguments(a), in);

  const fg::train::EvalResult initial = trainer.evaluate();
  std::printf("step 0: eval_loss %.4f\n", initial.loss);
  const fg::train::TrainResult r = trainer.train();

  json eval = json::array({{{"step", 0}, {"loss", initial.loss}}}), losses = json::array();
  read_curves(a.output / "logs" / "trainer_logs.json", eval, losses);
  const double final_eval = r.final_eval_loss.value_or(NAN);
  json summary = {{"implementation", "forgather-cpp"},
                  {"steps", r.global_step},
                  {"threads", a.threads},
                  {"precision", a.bf16 ? "bf16" : "fp32"},
                  {"layers", a.layers},
                  {"parameters", in.model->num_parameters()},
                  {"initial_eval_loss", initial.loss},
                  {"final_eval_loss", final_eval},
                  {"eval", eval},
                  {"train_loss", losses},
                  {"train_runtime_s", r.train_runtime},
                  {"wall_time_s", wall.seconds()},
                  {"tokens_per_second", r.tokens_per_second}};
  std::ofstream(a.output / "summary.json") << summary.dump(2) << "\n";
  std::printf("final eval_loss %.4f, train %.1f s, wall %.1f s, %.1f tokens/s\n", final_eval,
              r.train_runtime, wall.seconds(), r.tokens_per_second);

  bool ok = true;
  if (!(initial.loss >= a.expect_lo && initial.loss <= a.expect_hi)) {
    std::printf("FAIL: initial eval loss %.4f outside [%g, %g]\n", initial.loss, a.expect_lo,
                a.expect_hi);
    ok = false;
  }
  if (!(final_eval < initial.loss - a.expect_fall)) {
    std::printf("FAIL: eval loss fell from %.4f to %.4f, less than %g\n", initial.loss, final_eval,
                a.expect_fall);
    ok = false;
  }
  if (!(final_eval < a.expect_final_below)) {
    std::printf("FAIL: final eval loss %.4f not below %g\n", final_eval, a.expect_final_below);
    ok = false;
  }
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines reach a log file as they happen
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
