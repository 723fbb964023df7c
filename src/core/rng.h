#pragma once
// Counter-based random numbers. A stream is (seed, counter); every draw is a pure function of
// both, so kernels can draw in parallel (element i uses counter base+i) and a stream's state is
// two integers that a checkpoint saves and restores exactly.
#include <cstdint>

namespace fg {

// splitmix64 finaliser: a bijective 64-bit mix with good avalanche.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The random 64 bits at position `index` of stream `seed`.
constexpr uint64_t random_bits(uint64_t seed, uint64_t index) {
  return mix64(mix64(seed) ^ (index * 0xD1B54A32D192ED03ull));
}

// Uniform float in [0, 1) from 24 random bits.
constexpr float bits_to_unit_float(uint64_t bits) {
  return static_cast<float>(bits >> 40) * (1.0f / 16777216.0f);
}

// Where a local batch's rows sit in the global batch of a data-parallel step: local row b is
// global row offset + b * stride, of `global` rows in all (0: the local batch is the whole
// batch). Dropout keys its draws by global row, so masks do not depend on the world size.
struct BatchRows {
  int64_t offset = 0;
  int64_t stride = 1;
  int64_t global = 0;
  bool is_local() const { return offset == 0 && stride == 1 && global == 0; }
  int64_t global_row(int64_t b) const { return offset + b * stride; }
  int64_t global_rows(int64_t local_rows) const { return global > 0 ? global : local_rows; }
};

struct RngState {
  uint64_t seed = 0;
  uint64_t counter = 0;
  bool operator==(const RngState&) const = default;
};

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : state_{seed, 0} {}
  explicit Rng(RngState state) : state_(state) {}

  uint64_t next_u64() { return random_bits(state_.seed, state_.counter++); }
  // Uniform in [0, 1).
  double uniform();
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal (Box-Muller, one value per call).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  // Uniform integer in [0, n); n > 0.
  uint64_t below(uint64_t n);

  // Reserve `count` consecutive draws for a parallel kernel; returns the first counter.
  uint64_t reserve(uint64_t count) {
    uint64_t base = state_.counter;
    state_.counter += count;
    return base;
  }
  // A new independent stream derived from this one's seed and a stream id.
  Rng fork(uint64_t stream_id) const { return Rng(mix64(state_.seed ^ mix64(stream_id + 1))); }

  uint64_t seed() const { return state_.seed; }
  const RngState& state() const { return state_; }
  void set_state(RngState state) { state_ = state; }

 private:
  RngState state_;
};

}  // namespace fg
