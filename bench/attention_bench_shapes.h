#pragma once
// The example model's attention shape and the useful-work count shared by the CPU and CUDA
// attention benchmarks, so their GFLOP/s compare directly.
#include <benchmark/benchmark.h>

#include <cstdint>

namespace fg::bench {

constexpr int64_t kAttentionB = 8, kAttentionH = 6, kAttentionDh = 48;

// GFLOP/s of causal work: forward 4*B*H*T*T*Dh/2 per iteration, times `multiple` (3 for
// forward+backward).
inline void set_attention_flops(benchmark::State& state, int64_t T, double multiple) {
  const double flops = multiple * 4.0 * kAttentionB * kAttentionH * T * T * kAttentionDh / 2;
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace fg::bench
