#include "train/sampling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/check.h"

namespace fg::train {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

void apply_repetition_penalty(std::span<float> logits, std::span<const int64_t> context,
                              float rho) {
  if (rho == 1.0f) return;
  std::vector<char> seen(logits.size(), 0);
  for (int64_t id : context) {
    if (id < 0 || id >= static_cast<int64_t>(logits.size()) || seen[id]) continue;
    seen[id] = 1;
    float& z = logits[id];
    z = z > 0 ? z / rho : z * rho;
  }
}

void apply_top_k(std::span<float> logits, int64_t k) {
  if (k <= 0 || k >= static_cast<int64_t>(logits.size())) return;
  std::vector<float> sorted(logits.begin(), logits.end());
  std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end(), std::greater<float>());
  const float threshold = sorted[k - 1];
  // HF keeps every logit >= the k-th largest (ties at the threshold survive).
  for (float& z : logits) {
    if (z < threshold) z = kNegInf;
  }
}

void apply_top_p(std::span<float> logits, float p) {
  if (p >= 1.0f) return;
  std::vector<int64_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  // Ascending, as HF: remove the low tail whose cumulative probability is <= 1 - p.
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return logits[a] < logits[b]; });
  const float max_logit = logits[order.back()];
  double total = 0;
  for (float z : logits) total += std::exp(static_cast<double>(z) - max_logit);
  double cumulative = 0;
  for (size_t i = 0; i + 1 < order.size(); ++i) {  // the largest token always stays
    cumulative += std::exp(static_cast<double>(logits[order[i]]) - max_logit) / total;
    if (cumulative <= 1.0 - p) {
      logits[order[i]] = kNegInf;
    } else {
      break;
    }
  }
}

int64_t argmax(std::span<const float> logits) {
  return std::max_element(logits.begin(), logits.end()) - logits.begin();
}

}  // namespace

void SamplingOptions::validate() const {
  FG_CHECK(temperature > 0, "[generate] temperature must be positive, got {}", temperature);
  FG_CHECK(top_p > 0 && top_p <= 1, "[generate] top_p must be in (0, 1], got {}", top_p);
  FG_CHECK(repetition_penalty > 0, "[generate] repetition_penalty must be positive, got {}",
           repetition_penalty);
  FG_CHECK(max_new_tokens >= 0, "[generate] max_new_tokens must not be negative, got {}",
           max_new_tokens);
}

SamplingOptions SamplingOptions::greedy() {
  SamplingOptions o;
  o.do_sample = false;
  o.temperature = 1.0f;
  o.top_k = 0;
  o.top_p = 1.0f;
  o.repetition_penalty = 1.0f;
  return o;
}

void shape_logits(std::span<float> logits, std::span<const int64_t> context,
                  const SamplingOptions& options) {
  apply_repetition_penalty(logits, context, options.repetition_penalty);
  if (!options.do_sample) return;  // HF applies warpers only when sampling
  if (options.temperature != 1.0f) {
    for (float& z : logits) z /= options.temperature;
  }
  apply_top_k(logits, options.top_k);
  apply_top_p(logits, options.top_p);
}

int64_t select_token(std::span<float> logits, std::span<const int64_t> context,
                     const SamplingOptions& options, Rng& rng) {
  FG_CHECK(!logits.empty(), "[generate] empty logits row");
  // -inf is a masked token; NaN or +inf means the model is broken, and would also break the
  // orderings that top-k and top-p sort by.
  for (size_t i = 0; i < logits.size(); ++i) {
    FG_CHECK(!std::isnan(logits[i]) && logits[i] != -kNegInf,
             "[generate] the model produced a non-finite logit ({}) for token {} after {} "
             "tokens of context: its weights or inputs are not usable",
             logits[i], i, context.size());
  }
  shape_logits(logits, context, options);
  if (!options.do_sample) return argmax(logits);
  const float max_logit = logits[argmax(logits)];
  double total = 0;
  for (float z : logits) total += std::exp(static_cast<double>(z) - max_logit);
  double target = rng.uniform() * total;
  double cumulative = 0;
  int64_t last_finite = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (logits[i] == kNegInf) continue;
    last_finite = static_cast<int64_t>(i);
    cumulative += std::exp(static_cast<double>(logits[i]) - max_logit);
    if (cumulative > target) return static_cast<int64_t>(i);
  }
  return last_finite;  // rounding left the target just above the total
}

}  // namespace fg::train
