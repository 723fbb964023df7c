#pragma once
// One attention problem of the CUDA tests: a shape and the options that select the kernels'
// paths (ALiBi, dropout, causal mask, KV-cache offset).
#include <cstdint>

#include "kernels/attention_shape.h"

namespace fg::test {

struct AttentionCase {
  const char* name;
  kernels::AttentionShape s;
  bool slopes = true;
  float dropout = 0;
  bool causal = true;
  int64_t query_offset = 0;

  // The parameters, with dropout keyed as a data-parallel rank's rows (global row 1 + 2b), so a
  // kernel that ignored row_offset / row_stride would draw another mask.
  kernels::AttentionParams params(uint64_t seed) const {
    kernels::AttentionParams p;
    p.dropout_p = dropout;
    p.seed = seed;
    p.rng_base = 1000;
    p.row_offset = 1;
    p.row_stride = 2;
    p.causal = causal;
    p.query_offset = query_offset;
    return p;
  }
};

}  // namespace fg::test
