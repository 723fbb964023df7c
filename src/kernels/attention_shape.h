#pragma once
// Shapes, parameters and the dropout mask shared by the reference and CPU attention kernels.
// Layouts (contiguous, row-major):
//   q [B,H,Tq,Dh]   k, v [B,Hkv,Tk,Dh]   slopes [H]   out [B,H,Tq,Dh]   lse [B,H,Tq]
// Head h reads kv head h / (H / Hkv) (grouped-query attention).
// Query row i sits at absolute position i + query_offset, key j at position j, and
//   S[b,h,i,j] = scale * q_i . k_j + slope_h * (j - (i + query_offset)),
//   masked to -inf where j > i + query_offset (when causal);
//   P = softmax_j(S),  P' = P * keep / (1 - p)  (inverted dropout),  out = P' v,
//   lse[b,h,i] = log sum_j exp(S[b,h,i,j])  (of the undropped scores).
#include <cmath>
#include <cstdint>

#include "core/rng.h"

namespace fg::kernels {

struct AttentionShape {
  int64_t B = 0, H = 0, Hkv = 0, Tq = 0, Tk = 0, Dh = 0;
};

struct AttentionParams {
  float scale = 0;           // multiplies q.k; 0 means 1/sqrt(Dh)
  float dropout_p = 0;       // probability of dropping P[i,j], in [0, 1); 0 disables dropout
  uint64_t seed = 0;         // dropout stream seed
  uint64_t rng_base = 0;     // first counter of the attention_dropout_draws() reserved draws
  int64_t query_offset = 0;  // absolute position of query row 0 (KV-cache decoding), >= 0
  bool causal = true;        // mask keys after the query's position
  // Batch row b draws dropout as global row row_offset + b * row_stride (data parallelism).
  int64_t row_offset = 0;
  int64_t row_stride = 1;
};

// The dropout helpers below are constexpr so the CUDA kernels call them unchanged (nvcc's
// --expt-relaxed-constexpr): GPU and CPU masks come from the same code.

// Preconditions every attention kernel assumes (the op layer validates them, kernels never
// throw): all sizes >= 1, H % Hkv == 0, query_offset >= 0, 0 <= dropout_p < 1.

inline float attention_scale(const AttentionShape& s, const AttentionParams& p) {
  return p.scale != 0 ? p.scale : 1.0f / std::sqrt(static_cast<float>(s.Dh));
}

// How many counters of the dropout stream one call consumes. The op reserves them from its Rng:
//   params.seed = rng.seed(); params.rng_base = rng.reserve(attention_dropout_draws(shape));
// and keeps params for the backward, which regenerates the same mask.
inline int64_t attention_dropout_draws(const AttentionShape& s) {
  return s.B * s.H * s.Tq * s.Tk;
}

// Dropout counter of element (b, h, i, j): base + ((gb*H + h)*Tq + i)*Tk + j, where gb is b's
// row in the global batch.
constexpr uint64_t attention_dropout_counter(const AttentionShape& s, const AttentionParams& p,
                                             int64_t b, int64_t h, int64_t i, int64_t j) {
  const int64_t gb = p.row_offset + b * p.row_stride;
  return p.rng_base + static_cast<uint64_t>(((gb * s.H + h) * s.Tq + i) * s.Tk + j);
}

// Whether dropout keeps the element at `counter`; forward and backward regenerate the same mask.
constexpr bool attention_keep(const AttentionParams& p, uint64_t counter) {
  return bits_to_unit_float(random_bits(p.seed, counter)) >= p.dropout_p;
}

// The factor a kept element is multiplied by (inverted dropout).
constexpr float attention_keep_scale(const AttentionParams& p) {
  return p.dropout_p < 1 ? 1.0f / (1.0f - p.dropout_p) : 0.0f;
}

}  // namespace fg::kernels
