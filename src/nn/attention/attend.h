#pragma once
// Shared core of the attention modules: optional KV-cache append, then the fused causal
// attention op (ALiBi bias from absolute positions, so cached decoding is exact).
#include "nn/module.h"

namespace fg::nn {

struct AttendArgs {
  float scale = 0;    // 0 -> 1/sqrt(Dh)
  float dropout = 0;  // on the probabilities, training only
  bool training = false;
  const char* who = "attention";
};

// q [B,H,Tq,Dh], k/v [B,Hkv,Tk,Dh], slopes [H] or undefined -> [B,H,Tq,Dh].
// With ctx.kv_cache, k/v are appended to slot ctx.layer_index and the query offset is the
// number of positions cached before this call.
Tensor attend(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
              const AttendArgs& args, const ForwardContext& ctx);

// [B,T,H*Dh] -> [B,H,T,Dh] and back.
Tensor split_heads(const Tensor& x, int64_t heads);
Tensor merge_heads(const Tensor& x);

}  // namespace fg::nn
