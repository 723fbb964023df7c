#pragma once
// Small enums and structs shared by every backend's kernels.
#include <cstdint>

namespace fg::kernels {

enum class Activation { Identity, ReLU, GELU, SiLU, Sigmoid, Tanh };
enum class BinaryOp { Add, Sub, Mul };

// Counters of a caching allocator. fresh_allocations counts requests the cache could not serve
// (a steady-state training step should add none).
struct AllocatorStats {
  int64_t fresh_allocations = 0;
  int64_t cache_hits = 0;
  int64_t bytes_in_use = 0;
  int64_t bytes_reserved = 0;  // in use + cached
  int64_t peak_bytes_in_use = 0;
  int64_t peak_bytes_reserved = 0;
  int64_t cache_releases = 0;  // times the idle cache was dropped because it grew too large
};

}  // namespace fg::kernels
