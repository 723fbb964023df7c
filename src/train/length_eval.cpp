#include "train/length_eval.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "tensor/tensor.h"

namespace fg::train {

void LengthEvalOptions::validate() const {
  FG_CHECK(!lengths.empty(), "[eval] no evaluation lengths given");
  for (int64_t l : lengths) FG_CHECK(l >= 2, "[eval] an evaluation length must be >= 2, got {}", l);
  FG_CHECK(batch_size > 0, "[eval] batch size must be positive, got {}", batch_size);
  FG_CHECK(max_blocks > 0, "[eval] max_blocks must be positive, got {}", max_blocks);
}

std::vector<LengthEvalResult> evaluate_lengths(
    nn::CausalLM& model, const std::vector<int64_t>& stream, const LengthEvalOptions& options,
    const std::function<void(int64_t, int64_t, int64_t)>& on_progress) {
  options.validate();
  const bool was_training = model.is_training();
  model.eval();
  NoGradGuard no_grad;
  const Device device = model.device();  // the blocks go where the model is
  std::vector<LengthEvalResult> results;
  for (int64_t length : options.lengths) {
    LengthEvalResult r;
    r.length = length;
    const int64_t total =
        std::min<int64_t>(static_cast<int64_t>(stream.size()) / length, options.max_blocks);
    double weighted = 0;
    for (int64_t first = 0; first < total; first += options.batch_size) {
      const int64_t n = std::min(options.batch_size, total - first);
      std::vector<int64_t> ids(stream.begin() + first * length,
                               stream.begin() + (first + n) * length);
      Tensor input = Tensor::from_vector_i64(ids, {n, length}, device);
      // Every block's loss is a mean over its length-1 predictions, so blocks weigh equally.
      double loss = model.forward(input, input, nn::ForwardContext{}).loss.item();
      weighted += loss * n;
      r.blocks += n;
      if (on_progress) on_progress(length, r.blocks, total);
    }
    r.tokens = r.blocks * (length - 1);
    r.loss = r.blocks ? weighted / r.blocks : NAN;
    r.perplexity = r.blocks ? std::exp(r.loss) : NAN;
    results.push_back(r);
  }
  model.train(was_training);
  return results;
}

nlohmann::json to_json(const std::vector<LengthEvalResult>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json j = {{"length", r.length}, {"blocks", r.blocks}, {"tokens", r.tokens}};
    j["loss"] = std::isfinite(r.loss) ? nlohmann::json(r.loss) : nlohmann::json(nullptr);
    j["perplexity"] =
        std::isfinite(r.perplexity) ? nlohmann::json(r.perplexity) : nlohmann::json(nullptr);
    out.push_back(j);
  }
  return out;
}

}  // namespace fg::train
