#include "nn/attention/attend.h"

#include "core/check.h"
#include "nn/dropout.h"
#include "tensor/ops.h"

namespace fg::nn {

Tensor split_heads(const Tensor& x, int64_t heads) {
  const int64_t b = x.size(0), t = x.size(1), d = x.size(2);
  return ops::permute(ops::reshape(x, {b, t, heads, d / heads}), {0, 2, 1, 3});
}

Tensor merge_heads(const Tensor& x) {
  const int64_t b = x.size(0), h = x.size(1), t = x.size(2), dh = x.size(3);
  return ops::reshape(ops::permute(x, {0, 2, 1, 3}), {b, t, h * dh});
}

Tensor attend(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
              const AttendArgs& args, const ForwardContext& ctx) {
  ops::AttentionOptions opts;
  opts.scale = args.scale;
  opts.dropout = args.dropout;
  opts.training = args.training;
  opts.causal = true;
  Tensor keys = k, values = v;
  if (ctx.kv_cache != nullptr) {
    AttentionCache& slot = ctx.kv_cache->layer(ctx.layer_index < 0 ? 0 : ctx.layer_index);
    if (slot.k.defined()) {
      FG_CHECK_SHAPE(slot.k.size(0) == k.size(0) && slot.k.size(1) == k.size(1),
                     "[{}] KV cache holds batch {} x {} heads, new keys are {} x {}", args.who,
                     slot.k.size(0), slot.k.size(1), k.size(0), k.size(1));
      opts.query_offset = slot.k.size(2);
      keys = ops::cat({slot.k, k}, 2);
      values = ops::cat({slot.v, v}, 2);
    }
    slot.k = keys.detach();
    slot.v = values.detach();
  }
  Rng* rng = dropout_rng(args.dropout, args.training, ctx, args.who);
  if (rng) opts.rows = ctx.batch_rows;
  return ops::causal_attention(q, keys, values, slopes, opts, rng);
}

}  // namespace fg::nn
