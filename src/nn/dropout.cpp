#include "nn/dropout.h"

#include <fmt/format.h>

#include "core/check.h"
#include "tensor/ops.h"

namespace fg::nn {

void DropoutOptions::validate() const {
  FG_CHECK(p >= 0.0f && p < 1.0f, "[Dropout] p must be in [0, 1), got {}", p);
}

Dropout::Dropout(const DropoutOptions& options) : Module("Dropout"), options_(options) {
  options_.validate();
}

Rng* dropout_rng(float p, bool training, const ForwardContext& ctx, const char* who) {
  if (!training || p == 0.0f) return nullptr;
  FG_CHECK(ctx.rng != nullptr, "[{}] dropout {} in training mode needs an Rng in ForwardContext",
           who, p);
  return ctx.rng;
}

Tensor apply_dropout(const Tensor& x, float p, bool training, const ForwardContext& ctx,
                     const char* who) {
  Rng* rng = dropout_rng(p, training, ctx, who);
  return rng ? ops::dropout(x, p, true, *rng, ctx.batch_rows) : x;
}

Tensor Dropout::forward(const Tensor& x, const ForwardContext& ctx) {
  return apply_dropout(x, options_.p, is_training(), ctx, "Dropout");
}

std::string Dropout::extra_repr() const {
  return fmt::format("p={}", options_.p);
}

}  // namespace fg::nn
