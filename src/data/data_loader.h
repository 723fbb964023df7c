#pragma once
// Batches samples in sequential order (the original's default) or shuffled per epoch from a seed,
// sharded by rank like DistributedSampler (the index list is padded by wrapping so every rank gets
// the same number). Its position (epoch, batch index, rng state) saves to JSON and restores
// exactly, so a resumed run sees the same following batches.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "data/collator.h"
#include "data/samples.h"

namespace fg::data {

struct DataLoaderOptions {
  int64_t batch_size = 16;
  bool shuffle = false;
  uint64_t seed = 42;
  bool drop_last = false;
  int64_t rank = 0;
  int64_t world_size = 1;

  void validate() const;
};

struct LoaderPosition {
  int64_t epoch = 0;
  int64_t index = 0;  // batches already taken in this epoch
  RngState rng;       // the shuffle stream of this epoch (seed, counter)
  // Geometry the position belongs to; restoring into a different loader is refused.
  int64_t num_samples = 0;
  int64_t batch_size = 0;
  int64_t rank = 0;
  int64_t world_size = 1;
  bool shuffle = false;

  std::string to_json() const;
  static LoaderPosition from_json(const std::string& text);
  bool operator==(const LoaderPosition&) const = default;
};

// The loader keeps a reference to `samples` (which references its dataset): both must outlive it.
class DataLoader {
 public:
  DataLoader(const SampleSet& samples, Collator collator, DataLoaderOptions options);

  // The next batch of this epoch; nullopt at its end (the loader then moves to the next epoch).
  std::optional<Batch> next();
  int64_t batches_per_epoch() const;
  int64_t epoch() const { return epoch_; }

  LoaderPosition position() const;
  // Throws fg::Error when `p` was saved by a loader with a different geometry.
  void set_position(const LoaderPosition& p);

 private:
  void start_epoch(int64_t epoch);
  RngState epoch_rng(int64_t epoch) const;

  const SampleSet& samples_;
  Collator collator_;
  DataLoaderOptions options_;
  int64_t epoch_ = 0;
  int64_t index_ = 0;
  std::vector<int64_t> order_;  // this rank's sample indices for the epoch
};

}  // namespace fg::data
