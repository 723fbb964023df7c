#include "train/data_parallel.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "data/sha256.h"

namespace fg::train {
namespace {

using dist::ReduceOp;

// Byte view of every parameter and buffer, in name order, for hashing.
std::string weights_digest(const nn::CausalLM& model) {
  std::string bytes;
  auto add = [&bytes](const std::string& name, const Tensor& t) {
    bytes += name;
    const Tensor host = t.to_host();  // itself when already on the host
    const auto* p = static_cast<const char*>(host.raw_data());
    bytes.append(p, static_cast<size_t>(host.numel()) * dtype_size(host.dtype()));
  };
  for (const auto& [name, t] : model.named_parameters()) add(name, t);
  for (const auto& [name, t] : model.named_buffers()) add(name, t);
  return data::sha256_hex(bytes);
}

// "ranks 1, 3" for the ranks whose entry differs from rank 0's.
std::string differing_ranks(const std::vector<std::string>& all) {
  std::string out;
  for (size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0]) out += (out.empty() ? "" : ", ") + std::to_string(r);
  return out;
}

// A 64-bit hash of this process's executable; empty when it cannot be read.
std::string executable_hash() {
  std::ifstream in("/proc/self/exe", std::ios::binary);
  if (!in) return {};
  uint64_t h = 0x9E3779B97F4A7C15ull;
  std::vector<char> buf(1 << 20);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    const auto n = static_cast<size_t>(in.gcount());
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(buf[i])) * 0x100000001B3ull;
  }
  return fmt::format("{:016x}", h);
}

// Elements [at, at + numel of `shape`) of the flat tensor `flat`, as a tensor of `shape` that
// shares its storage (no autograd): a gradient's slot in a bucket, on any device.
Tensor flat_slice(const Tensor& flat, int64_t at, const Shape& shape) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = flat.impl()->storage;
  impl->offset = flat.impl()->offset + at;
  impl->shape = shape;
  impl->numel = shape_numel(shape);
  impl->dtype = flat.dtype();
  impl->device = flat.device();
  FG_CHECK(at >= 0 && at + impl->numel <= flat.numel(),
           "[DataParallel] slot [{}, {}) lies outside a bucket of {}", at, at + impl->numel,
           flat.numel());
  return Tensor(std::move(impl));
}

// The one device of every parameter: the buckets live there.
Device parameters_device(const std::vector<optim::NamedParameter>& params) {
  const Device device = params.empty() ? Device::cpu() : params.front().second.device();
  for (const auto& [name, t] : params)
    FG_CHECK(t.device() == device,
             "[DataParallel] parameter '{}' is on {} but '{}' is on {}: data parallelism needs "
             "the whole model on one device",
             name, t.device().to_string(), params.front().first, device.to_string());
  return device;
}

}  // namespace

std::string run_fingerprint(const TrainingArguments& args, const std::string& config_text) {
  // The logging directory's name holds the time each rank rendered the config: left out.
  nlohmann::json j = args.to_json();
  j.erase("logging_dir");
  std::string text = config_text;
  if (!args.logging_dir.empty()) {
    for (size_t at = text.find(args.logging_dir); at != std::string::npos;
         at = text.find(args.logging_dir, at))
      text.replace(at, args.logging_dir.size(), "<logging_dir>");
  }
  return data::sha256_hex(text + "\n" + j.dump() + "\n" + executable_hash());
}

data::LoaderPosition rebase_position(data::LoaderPosition saved, const data::LoaderPosition& mine) {
  if (saved.world_size == mine.world_size && saved.rank == mine.rank) return saved;
  const int64_t saved_global = saved.batch_size * saved.world_size;
  const int64_t global = mine.batch_size * mine.world_size;
  FG_CHECK(saved_global == global,
           "[DataParallel] cannot resume a run of {} rank(s) x batch {} (global batch {}) with {} "
           "rank(s) x batch {} (global batch {}): keep per_device_train_batch_size x ranks equal",
           saved.world_size, saved.batch_size, saved_global, mine.world_size, mine.batch_size,
           global);
  saved.rank = mine.rank;
  saved.world_size = mine.world_size;
  saved.batch_size = mine.batch_size;
  return saved;
}

uint64_t DataParallel::agree_seed(uint64_t seed) {
  comm_.broadcast(std::span<std::byte>(reinterpret_cast<std::byte*>(&seed), sizeof seed), 0);
  return seed;
}

double GlobalBatch::loss_weight() const {
  return global_tokens > 0 ? static_cast<double>(local_tokens) / global_tokens : 0.0;
}

int64_t count_loss_tokens(const data::Batch& batch, int64_t ignore_index) {
  int64_t n = 0;
  for (int64_t r = 0; r < batch.batch; ++r)
    for (int64_t t = 1; t < batch.seq; ++t)
      n += batch.labels[static_cast<size_t>(r * batch.seq + t)] != ignore_index;
  return n;
}

void pad_batch(data::Batch& b, int64_t seq, int64_t pad_id, int64_t ignore_index) {
  if (seq == b.seq) return;
  FG_CHECK(seq > b.seq, "[DataParallel] cannot pad a batch of length {} to {}", b.seq, seq);
  auto widen = [&b, seq](std::vector<int64_t>& v, int64_t fill) {
    if (v.empty()) return;
    std::vector<int64_t> out(static_cast<size_t>(b.batch * seq), fill);
    for (int64_t r = 0; r < b.batch; ++r)
      std::copy_n(v.begin() + r * b.seq, b.seq, out.begin() + r * seq);
    v = std::move(out);
  };
  widen(b.input_ids, pad_id);
  widen(b.labels, ignore_index);
  widen(b.attention_mask, 0);
  widen(b.position_ids, 0);
  b.seq = seq;
}

void DataParallel::check_same_run(const std::string& fingerprint) {
  const std::vector<std::string> all = comm_.all_gather_strings(fingerprint);
  const std::string bad = differing_ranks(all);
  if (!bad.empty())
    throw Error(fmt::format(
        "[DataParallel] rank(s) {} run a different config or forgather binary than rank 0 "
        "(fingerprint {} against {}): every rank must run the same build with the same config",
        bad, all[std::stoul(bad.substr(0, bad.find(',')))].substr(0, 16), all[0].substr(0, 16)));
}

dist::Communicator& DataParallel::comm_for(Device device) {
  if (device.is_host()) return comm_;
  if (device_comm_ == nullptr) {
    device_comm_ = dist::make_device_communicator(comm_, device);
    device_comm_device_ = device;
  }
  if (device_comm_ == nullptr) return comm_;  // a world of one: nothing crosses it
  FG_CHECK(device_comm_device_ == device,
           "[DataParallel] the device communicator runs on {}, not {} (one GPU per rank)",
           device_comm_device_.to_string(), device.to_string());
  return *device_comm_;
}

bool DataParallel::reduces_gradients(Device device) {
  return world_size() > 1 || &comm_for(device) != &comm_;
}

void DataParallel::broadcast_weights(nn::CausalLM& model) {
  if (world_size() == 1) return;
  auto send = [this](Tensor t) {
    if (!t.device().is_host()) return comm_for(t.device()).broadcast(t, 0);  // any dtype's bytes
    auto* p = static_cast<std::byte*>(t.raw_data());
    comm_.broadcast(std::span<std::byte>(p, static_cast<size_t>(t.numel()) * dtype_size(t.dtype())),
                    0);
  };
  for (const auto& [name, t] : model.named_parameters()) send(t);
  for (const auto& [name, t] : model.named_buffers()) send(t);
}

void DataParallel::check_identical_weights(const nn::CausalLM& model) {
  const std::vector<std::string> all = comm_.all_gather_strings(weights_digest(model));
  const std::string bad = differing_ranks(all);
  if (!bad.empty())
    throw Error(
        fmt::format("[DataParallel] rank(s) {} hold different weights than rank 0 after "
                    "the start-up broadcast",
                    bad));
}

GlobalBatch DataParallel::agree_batch(data::Batch& batch, const data::CollatorOptions& collator) {
  const int64_t ignore_index = collator.ignore_index;
  GlobalBatch g;
  g.local_tokens = count_loss_tokens(batch, ignore_index);
  if (world_size() == 1) {
    g.global_tokens = g.local_tokens;
    return g;
  }
  std::vector<int64_t> seq = {batch.seq};
  comm_.all_reduce(std::span<int64_t>(seq), ReduceOp::Max);
  std::vector<int64_t> counts = {batch.batch, 0};
  comm_.all_reduce(std::span<int64_t>(counts), ReduceOp::Sum);
  pad_batch(batch, seq[0], collator.pad_id, ignore_index);  // adds no loss tokens
  std::vector<int64_t> tokens = {g.local_tokens};
  comm_.all_reduce(std::span<int64_t>(tokens), ReduceOp::Sum);
  g.global_tokens = tokens[0];
  // The loader deals sample i of the global batch to rank i % world.
  g.rows = BatchRows{rank(), world_size(), counts[0]};
  return g;
}

void DataParallel::plan_buckets(const std::vector<optim::NamedParameter>& params) {
  const Device device = parameters_device(params);
  size_t count = 0;
  for (const Bucket& b : buckets_) count += b.params.size();
  if (count == params.size() && !buckets_.empty() && buckets_.front().data.device() == device)
    return;  // planned at the first step
  bucket_comm_ = &comm_for(device);
  buckets_.clear();
  bucket_of_.clear();
  int64_t filled = 0;
  for (auto it = params.rbegin(); it != params.rend(); ++it) {
    const Tensor& t = it->second;
    if (buckets_.empty() || (filled > 0 && filled + t.numel() > kBucketFloats)) {
      buckets_.emplace_back();
      filled = 0;
    }
    buckets_.back().params.push_back(t);
    bucket_of_[t.impl().get()] = buckets_.size() - 1;
    filled += t.numel();
  }
  for (Bucket& b : buckets_) {
    int64_t size = 0;
    for (const Tensor& t : b.params) size += t.numel();
    b.data = Tensor::empty({size}, DType::F32, device);
  }
}

void DataParallel::reset_step() {
  for (Bucket& b : buckets_) {
    b.waiting = static_cast<int64_t>(b.params.size());
    b.pending.reset();
  }
  next_to_start_ = 0;
}

void DataParallel::start_ready_buckets(bool all) {
  while (next_to_start_ < buckets_.size()) {
    Bucket& b = buckets_[next_to_start_];
    if (!all && b.waiting > 0) return;
    int64_t at = 0;
    for (const Tensor& t : b.params) {
      const Tensor grad = t.grad();
      Tensor slot = flat_slice(b.data, at, t.shape());
      if (grad.defined())
        slot.copy_(grad);
      else
        slot.fill_(0.0f);
      at += t.numel();
    }
    b.pending = bucket_comm_->all_reduce_async(b.data, ReduceOp::Sum);
    ++next_to_start_;
  }
}

autograd::GradReadyFn DataParallel::grad_ready_hook(
    const std::vector<optim::NamedParameter>& params) {
  plan_buckets(params);
  reset_step();
  return [this](const std::shared_ptr<TensorImpl>& leaf) {
    auto it = bucket_of_.find(leaf.get());
    if (it == bucket_of_.end()) return;  // a leaf that is not a trained parameter
    if (--buckets_[it->second].waiting == 0) start_ready_buckets(false);
  };
}

void DataParallel::sum_gradients(const std::vector<optim::NamedParameter>& params) {
  if (!reduces_gradients(parameters_device(params))) return;
  plan_buckets(params);
  start_ready_buckets(true);
  for (Bucket& b : buckets_) {
    b.pending->wait();
    int64_t at = 0;
    for (Tensor& t : b.params) {
      // A fresh tensor: backward may have handed one gradient tensor to several consumers.
      Tensor grad = Tensor::empty(t.shape(), DType::F32, t.device());
      grad.copy_(flat_slice(b.data, at, t.shape()));
      t.set_grad(grad);
      at += t.numel();
    }
    b.pending.reset();
  }
  next_to_start_ = 0;
}

void DataParallel::sum(std::vector<double>& values) {
  comm_.all_reduce(std::span<double>(values), ReduceOp::Sum);
}

bool DataParallel::any(bool flag) {
  if (world_size() == 1) return flag;
  std::vector<int64_t> v = {flag ? 1 : 0};
  comm_.all_reduce(std::span<int64_t>(v), ReduceOp::Max);
  return v[0] != 0;
}

}  // namespace fg::train
