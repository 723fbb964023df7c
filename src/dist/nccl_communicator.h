#pragma once
// The NCCL communicator's factory; its class lives in nccl_communicator.cpp so that no header
// outside this file includes <nccl.h> or the CUDA runtime.
#include <memory>

#include "dist/communicator.h"
#include "tensor/device.h"

namespace fg::dist {

// Whether this build has the NCCL communicator (FG_WITH_NCCL).
bool nccl_available();

// One NCCL communicator over `host`'s world, on `device` (this rank's GPU, whose backend must be
// the registered CudaBackend): rank 0 makes the ncclUniqueId and `host` broadcasts it. Tensor
// collectives on CUDA memory run on the backend's stream (async all-reduces on a stream of their
// own, joined by an event); host-memory collectives (spans, strings, CPU tensors) go to `host`.
// `host` must outlive it. A failed NCCL call aborts the NCCL communicator (ncclCommAbort, so a
// peer does not wait on it forever) and throws fg::Error naming the collective.
std::unique_ptr<Communicator> make_nccl_communicator(Communicator& host, Device device);

}  // namespace fg::dist
