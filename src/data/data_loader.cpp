#include "data/data_loader.h"

#include <nlohmann/json.hpp>
#include <numeric>

#include "core/check.h"

namespace fg::data {

void DataLoaderOptions::validate() const {
  FG_CHECK(batch_size > 0, "[DataLoader] expected batch_size > 0, got {}", batch_size);
  FG_CHECK(world_size > 0, "[DataLoader] expected world_size > 0, got {}", world_size);
  FG_CHECK(rank >= 0 && rank < world_size, "[DataLoader] expected rank in [0, {}), got {}",
           world_size, rank);
}

DataLoader::DataLoader(const SampleSet& samples, Collator collator, DataLoaderOptions options)
    : samples_(samples), collator_(std::move(collator)), options_(options) {
  options_.validate();
  start_epoch(0);
}

RngState DataLoader::epoch_rng(int64_t epoch) const {
  return Rng(options_.seed).fork(static_cast<uint64_t>(epoch)).state();
}

void DataLoader::start_epoch(int64_t epoch) {
  epoch_ = epoch;
  index_ = 0;
  const int64_t n = samples_.size();
  std::vector<int64_t> all(static_cast<size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  if (options_.shuffle) {
    Rng rng(epoch_rng(epoch));
    for (int64_t i = n - 1; i > 0; --i)  // Fisher-Yates
      std::swap(all[static_cast<size_t>(i)],
                all[static_cast<size_t>(rng.below(static_cast<uint64_t>(i + 1)))]);
  }
  const int64_t ws = options_.world_size;
  const int64_t total = options_.drop_last ? (n / ws) * ws : ((n + ws - 1) / ws) * ws;
  order_.clear();
  for (int64_t i = options_.rank; i < total; i += ws)
    order_.push_back(all[static_cast<size_t>(i % n)]);
}

int64_t DataLoader::batches_per_epoch() const {
  const int64_t n = static_cast<int64_t>(order_.size());
  const int64_t b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::optional<Batch> DataLoader::next() {
  if (index_ >= batches_per_epoch()) {
    start_epoch(epoch_ + 1);
    return std::nullopt;
  }
  const int64_t first = index_ * options_.batch_size;
  const int64_t last =
      std::min<int64_t>(first + options_.batch_size, static_cast<int64_t>(order_.size()));
  std::vector<Sample> batch;
  batch.reserve(static_cast<size_t>(last - first));
  for (int64_t i = first; i < last; ++i)
    batch.push_back(samples_.get(order_[static_cast<size_t>(i)]));
  ++index_;
  return collator_(batch);
}

LoaderPosition DataLoader::position() const {
  LoaderPosition p;
  p.epoch = epoch_;
  p.index = index_;
  p.rng = epoch_rng(epoch_);
  p.num_samples = samples_.size();
  p.batch_size = options_.batch_size;
  p.rank = options_.rank;
  p.world_size = options_.world_size;
  p.shuffle = options_.shuffle;
  return p;
}

void DataLoader::set_position(const LoaderPosition& p) {
  LoaderPosition mine = position();
  FG_CHECK(p.num_samples == mine.num_samples && p.batch_size == mine.batch_size &&
               p.rank == mine.rank && p.world_size == mine.world_size && p.shuffle == mine.shuffle,
           "[DataLoader] cannot restore a position saved for {} samples, batch {}, rank {}/{}, "
           "shuffle {} into a loader with {} samples, batch {}, rank {}/{}, shuffle {}",
           p.num_samples, p.batch_size, p.rank, p.world_size, p.shuffle, mine.num_samples,
           mine.batch_size, mine.rank, mine.world_size, mine.shuffle);
  FG_CHECK(p.epoch >= 0 && p.index >= 0, "[DataLoader] expected a non-negative epoch and index");
  FG_CHECK(p.rng == epoch_rng(p.epoch),
           "[DataLoader] the saved shuffle stream does not match seed {} at epoch {}",
           options_.seed, p.epoch);
  start_epoch(p.epoch);
  FG_CHECK(p.index <= batches_per_epoch(),
           "[DataLoader] expected a batch index <= {} in epoch {}, got {}", batches_per_epoch(),
           p.epoch, p.index);
  index_ = p.index;
}

std::string LoaderPosition::to_json() const {
  nlohmann::json j = {{"epoch", epoch},
                      {"index", index},
                      {"rng_seed", rng.seed},
                      {"rng_counter", rng.counter},
                      {"num_samples", num_samples},
                      {"batch_size", batch_size},
                      {"rank", rank},
                      {"world_size", world_size},
                      {"shuffle", shuffle}};
  return j.dump();
}

LoaderPosition LoaderPosition::from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  FG_CHECK(!j.is_discarded() && j.is_object(),
           "[DataLoader] expected a JSON object for the loader position, got '{}'", text);
  LoaderPosition p;
  try {
    p.epoch = j.at("epoch").get<int64_t>();
    p.index = j.at("index").get<int64_t>();
    p.rng.seed = j.at("rng_seed").get<uint64_t>();
    p.rng.counter = j.at("rng_counter").get<uint64_t>();
    p.num_samples = j.at("num_samples").get<int64_t>();
    p.batch_size = j.at("batch_size").get<int64_t>();
    p.rank = j.at("rank").get<int64_t>();
    p.world_size = j.at("world_size").get<int64_t>();
    p.shuffle = j.at("shuffle").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("[DataLoader] loader position JSON is missing or mistypes a field: {}",
                            e.what()));
  }
  return p;
}

}  // namespace fg::data
