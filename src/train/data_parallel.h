#pragma once
// Data parallelism for the Trainer over a Communicator: the start-up agreement (same config and
// binary, same initial weights), each step's place in the global batch, gradient averaging in
// persistent flat buckets on the model's device, and the cross-rank reduction of losses. With a
// world of one every collective is a no-op, so the Trainer never branches on the world size.
//
// The communicator given is the host's (MPI, or single-process): it carries every host value
// (seeds, batch sizes, losses, fingerprints). Tensors in CUDA memory (weights at start-up, the
// gradient buckets) go through an NCCL communicator that DataParallel makes over it at first
// use (dist::make_device_communicator), also in a world of one when $FG_NCCL=1 asks for it.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "autograd/grad_ready.h"
#include "core/rng.h"
#include "data/batch.h"
#include "data/collator.h"
#include "data/data_loader.h"
#include "dist/communicator.h"
#include "nn/causal_lm.h"
#include "optim/optimizer.h"
#include "train/training_arguments.h"

namespace fg::train {

// One micro-batch's place in the global batch.
struct GlobalBatch {
  BatchRows rows;             // local row b is global row rows.global_row(b)
  int64_t local_tokens = 0;   // labels that count toward this rank's loss
  int64_t global_tokens = 0;  // summed over ranks
  // Scale of this rank's mean loss so that summing the ranks' gradients gives the gradient of
  // the global batch's mean loss: local_tokens / global_tokens (1 in a world of one).
  double loss_weight() const;
};

class DataParallel {
 public:
  explicit DataParallel(dist::Communicator& comm) : comm_(comm) {}

  dist::Communicator& comm() { return comm_; }
  bool is_main() const { return comm_.rank() == 0; }
  int rank() const { return comm_.rank(); }
  int world_size() const { return comm_.world_size(); }

  // Refuses to start when any rank runs a different config or binary: every rank gathers
  // every rank's fingerprint and throws the same message naming the ranks that differ.
  void check_same_run(const std::string& fingerprint);
  // Rank 0's seed (a clock seed differs per process).
  uint64_t agree_seed(uint64_t seed);
  // Rank 0's weights (parameters and buffers) to every rank, then a hash check that all agree.
  void broadcast_weights(nn::CausalLM& model);
  void check_identical_weights(const nn::CausalLM& model);

  // Agrees on the global batch of this micro-step: pads `batch` to the longest sequence of any
  // rank (so dropout draws keep their global layout) and counts the tokens of the loss.
  GlobalBatch agree_batch(data::Batch& batch, const data::CollatorOptions& collator);

  // For the backward of a step's last micro-batch: a hook that starts a bucket's all-reduce as
  // soon as every gradient in it is final, so communication overlaps the rest of backward.
  autograd::GradReadyFn grad_ready_hook(const std::vector<optim::NamedParameter>& params);
  // Sums the gradients of `params` over ranks (each rank scaled its loss by loss_weight()):
  // starts the buckets the hook did not, waits for all, and writes the sums back. Gradients go
  // through persistent flat buckets of about kBucketFloats each, on the parameters' device.
  void sum_gradients(const std::vector<optim::NamedParameter>& params);

  // Sum over ranks of each value (loss sums, counts).
  void sum(std::vector<double>& values);
  // Whether any rank asks for `flag` (an interrupt): every rank then stops at the same step.
  bool any(bool flag);

  // Whether gradients on `device` are exchanged at all: several ranks, or the NCCL path asked
  // for in a world of one ($FG_NCCL=1, a GPU check against the plain run).
  bool reduces_gradients(Device device);
  // The name of the communicator that takes tensors on `device` ("mpi", "nccl", "single").
  std::string backend_for_tensors(Device device) { return comm_for(device).backend_name(); }

  static constexpr int64_t kBucketFloats = 4 << 20;  // 16 MiB buckets

 private:
  // Parameters in reverse order (backward finishes the last layers first), cut into buckets.
  struct Bucket {
    std::vector<Tensor> params;
    Tensor data;          // flat F32 on the parameters' device: sized once, reused every step
    int64_t waiting = 0;  // gradients not yet final in this step
    std::unique_ptr<dist::PendingCollective> pending;
  };
  void plan_buckets(const std::vector<optim::NamedParameter>& params);
  void reset_step();
  // Starts buckets in order while the next one is ready: every rank issues the same collectives
  // in the same order, whatever order its hooks fired in.
  void start_ready_buckets(bool all);
  // The communicator for tensors on `device`: comm_ for host memory (and for a GPU in a world of
  // one without $FG_NCCL), else the device communicator, made at the first call.
  dist::Communicator& comm_for(Device device);

  dist::Communicator& comm_;
  std::unique_ptr<dist::Communicator> device_comm_;  // before buckets_: their pending work uses it
  Device device_comm_device_;
  dist::Communicator* bucket_comm_ = nullptr;  // the buckets' communicator, set by plan_buckets
  std::vector<Bucket> buckets_;
  std::unordered_map<const TensorImpl*, size_t> bucket_of_;
  size_t next_to_start_ = 0;
};

// What every rank of one run must share: the resolved config, the training arguments and the
// forgather binary (a hash of the executable's bytes).
std::string run_fingerprint(const TrainingArguments& args, const std::string& config_text);

// A loader position saved at one world size, for this loader at another: the global batch
// (per-rank batch x world size) must match, and then the batch index carries over unchanged.
data::LoaderPosition rebase_position(data::LoaderPosition saved, const data::LoaderPosition& mine);

// Label positions that count toward a causal LM's mean loss: labels shifted left by one,
// without ignore_index.
int64_t count_loss_tokens(const data::Batch& batch, int64_t ignore_index);

// Right-pads a collated batch to `seq` columns (pad id, ignore_index labels, mask 0).
void pad_batch(data::Batch& batch, int64_t seq, int64_t pad_id, int64_t ignore_index);

}  // namespace fg::train
