#include "train/generation.h"

#include <map>
#include <optional>

#include "core/check.h"
#include "core/timer.h"
#include "nn/kv_cache.h"
#include "tensor/device.h"
#include "tensor/ops.h"

namespace fg::train {
namespace {

// The last position's logits of each row: [B,T,V] -> B vectors of V.
std::vector<std::vector<float>> last_logits(const Tensor& logits) {
  const int64_t B = logits.size(0), T = logits.size(1), V = logits.size(2);
  const Tensor host = logits.to_host();  // explicit: the logits may live on a device
  const float* data = host.data<float>();
  std::vector<std::vector<float>> rows(B);
  for (int64_t b = 0; b < B; ++b) {
    const float* row = data + (b * T + (T - 1)) * V;
    rows[b].assign(row, row + V);
  }
  return rows;
}

Tensor ids_tensor(const std::vector<std::vector<int64_t>>& rows, int64_t from, Device device) {
  const int64_t B = static_cast<int64_t>(rows.size());
  const int64_t T = static_cast<int64_t>(rows[0].size()) - from;
  std::vector<int64_t> flat;
  flat.reserve(B * T);
  for (const auto& r : rows) flat.insert(flat.end(), r.begin() + from, r.end());
  return Tensor::from_vector_i64(flat, {B, T}, device);
}

int64_t count_layers(nn::CausalLM& model) {
  nn::Module* layers = model.layer_stack().find_module("layers");
  FG_CHECK(layers != nullptr, "[generate] the model's layer stack has no 'layers' list");
  return static_cast<int64_t>(layers->children().size());
}

// Runs tiny decode steps on one thread: a step of a few tokens is far smaller than the cost of
// waking and joining an OpenMP team, which on a busy machine can stall each op by a time slice.
class ThreadCountScope {
 public:
  explicit ThreadCountScope(int n) : previous_(num_threads()) { set_num_threads(n); }
  ~ThreadCountScope() { set_num_threads(previous_); }
  ThreadCountScope(const ThreadCountScope&) = delete;
  ThreadCountScope& operator=(const ThreadCountScope&) = delete;

 private:
  int previous_;
};

constexpr int64_t kSerialTokens = 16;  // steps feeding at most this many tokens run serially

struct Batch {
  std::vector<int64_t> request_index;      // which prompts are in this batch
  std::vector<std::vector<int64_t>> seqs;  // prompt + generated so far
};

void decode_batch(nn::CausalLM& model, Batch& batch, const GenerationRequest& req, Rng& rng,
                  GenerationResult& result, const TokenCallback& on_token) {
  const int64_t B = static_cast<int64_t>(batch.seqs.size());
  const Device device = model.device();  // the prompt goes where the model is
  std::vector<char> done(B, 0);
  nn::KVCache cache(count_layers(model));  // its tensors live where the model computes
  nn::ForwardContext ctx;
  ctx.rng = &rng;
  if (req.use_cache) ctx.kv_cache = &cache;

  for (int64_t step = 0; step < req.sampling.max_new_tokens; ++step) {
    // With the cache only the tokens it has not seen yet are fed.
    const int64_t from = req.use_cache ? cache.length() : 0;
    Tensor input = ids_tensor(batch.seqs, from, device);
    std::optional<ThreadCountScope> serial;
    if (input.numel() <= kSerialTokens) serial.emplace(1);
    Tensor logits = model.forward(input, ctx);
    serial.reset();
    auto rows = last_logits(logits);
    bool all_done = true;
    for (int64_t b = 0; b < B; ++b) {
      int64_t token = done[b] ? (req.eos_id >= 0 ? req.eos_id : batch.seqs[b].back())
                              : select_token(rows[b], batch.seqs[b], req.sampling, rng);
      batch.seqs[b].push_back(token);
      if (done[b]) continue;
      const int64_t index = batch.request_index[b];
      result.new_tokens[index].push_back(token);
      ++result.total_new_tokens;
      if (on_token) on_token(index, token);
      if (token == req.eos_id) done[b] = 1;
      all_done = all_done && done[b];
    }
    if (all_done) break;
  }
}

}  // namespace

GenerationResult generate(nn::CausalLM& model, const GenerationRequest& request,
                          const TokenCallback& on_token) {
  request.sampling.validate();
  FG_CHECK(!request.prompts.empty(), "[generate] no prompts given");
  std::map<size_t, Batch> by_length;
  for (size_t i = 0; i < request.prompts.size(); ++i) {
    FG_CHECK(!request.prompts[i].empty(), "[generate] prompt {} is empty (it needs at least BOS)",
             i);
    Batch& b = by_length[request.prompts[i].size()];
    b.request_index.push_back(static_cast<int64_t>(i));
    b.seqs.push_back(request.prompts[i]);
  }

  GenerationResult result;
  result.new_tokens.resize(request.prompts.size());
  const bool was_training = model.is_training();
  model.eval();
  NoGradGuard no_grad;
  Rng rng(request.sampling.seed);
  Timer timer;
  try {
    for (auto& [length, batch] : by_length)
      decode_batch(model, batch, request, rng, result, on_token);
  } catch (...) {
    model.train(was_training);
    throw;
  }
  result.seconds = timer.seconds();
  model.train(was_training);
  return result;
}

}  // namespace fg::train
