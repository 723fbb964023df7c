// CudaBackend's graph capture (Backend::begin_capture ...): one recording of the stream's work,
// instantiated once and launched on the same stream. Unverified: written without a GPU.
#include <string>

#include "core/error.h"
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_check.h"

namespace fg::kernels::cuda {

void CudaBackend::refuse_while_capturing(const char* call) const {
  if (capturing_)
    throw Error(std::string("[cuda] ") + call +
                " while the stream is being recorded into a graph (a recording cannot wait for "
                "the host)");
}

void CudaBackend::begin_capture() {
  if (capturing_ || graph_ != nullptr || graph_exec_ != nullptr)
    throw Error("[cuda] begin_capture: a graph already exists (release_graph() first)");
  FG_CUDA_CHECK(cudaStreamSynchronize(stream_));  // earlier work is not part of the recording
  FG_CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
  capturing_ = true;
}

void CudaBackend::end_capture() {
  if (!capturing_) throw Error("[cuda] end_capture without begin_capture");
  capturing_ = false;
  FG_CUDA_CHECK(cudaStreamEndCapture(stream_, &graph_));
  // Allocations the recording makes and does not free stay with the tensors that hold them;
  // auto-free-on-launch lets the graph be launched again while they are alive (their addresses
  // are fixed for the graph's life, so the tensors stay valid).
  FG_CUDA_CHECK(cudaGraphInstantiateWithFlags(&graph_exec_, graph_,
                                              cudaGraphInstantiateFlagAutoFreeOnLaunch));
}

void CudaBackend::replay(uint64_t rng_shift) {
  if (graph_exec_ == nullptr) throw Error("[cuda] replay: no recorded graph");
  set_rng_shift(rng_shift);  // stream-ordered: the launch below reads it
  FG_CUDA_CHECK(cudaGraphLaunch(graph_exec_, stream_));
}

void CudaBackend::release_graph() {
  if (capturing_) {  // an abandoned recording: end it and drop what it recorded
    capturing_ = false;
    cudaGraph_t partial = nullptr;
    cudaStreamEndCapture(stream_, &partial);
    if (partial != nullptr) cudaGraphDestroy(partial);
    cudaGetLastError();
  }
  FG_CUDA_CHECK(cudaStreamSynchronize(stream_));
  if (graph_exec_ != nullptr) FG_CUDA_CHECK(cudaGraphExecDestroy(graph_exec_));
  if (graph_ != nullptr) FG_CUDA_CHECK(cudaGraphDestroy(graph_));
  graph_exec_ = nullptr;
  graph_ = nullptr;
  for (void* p : held_) FG_CUDA_CHECK(cudaFreeAsync(p, stream_));
  held_.clear();
  graph_blocks_.clear();  // those still held by tensors are freed when the tensors go
}

}  // namespace fg::kernels::cuda
