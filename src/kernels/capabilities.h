#pragma once
// Optional backend capabilities, beside the kernels::Backend interface: a backend that has one
// also derives from its interface, and callers look it up with capability<T>(backend), which is
// null when the backend lacks it. The CPU backend has none.
#include "kernels/backend.h"

namespace fg::kernels {

// f32 GEMMs on TF32 tensor cores (the training argument tf32): the CUDA backend.
class Tf32Mode {
 public:
  virtual ~Tf32Mode() = default;
  virtual void set_tf32(bool on) = 0;
};

// Graph capture: record the kernels of a stretch of work once and launch the recording again
// (CUDA graphs). One recording per backend at a time. While recording (begin_capture() ..
// end_capture()) kernels are recorded and need not run, and host copies and synchronize()
// throw fg::Error. Memory allocated while recording, and memory freed while recording, stays
// reserved (even once freed) until release_graph(): the recording keeps addressing it. Memory
// allocated before recording that the recording uses must be kept alive by its owner.
// replay(rng_shift) launches the recording with every dropout counter its kernels draw moved on by
// rng_shift (the dropout stream's advance since the recording was made), so each launch draws the
// masks an eager step would, not the recorded ones again; a launch right after recording passes 0.
// Kernels run outside a recording are never shifted. release_graph() also drops an unfinished
// recording.
class GraphCapture {
 public:
  virtual ~GraphCapture() = default;
  virtual bool can_capture() const { return true; }  // false: present but switched off
  virtual void begin_capture() = 0;
  virtual void end_capture() = 0;
  virtual void replay(uint64_t rng_shift) = 0;
  virtual void release_graph() = 0;
};

template <class Capability>
Capability* capability(Backend& backend) {
  return dynamic_cast<Capability*>(&backend);
}

// The backend's graph capture when it has it and it is switched on, else null.
inline GraphCapture* graph_capture(Backend& backend) {
  GraphCapture* g = capability<GraphCapture>(backend);
  return g != nullptr && g->can_capture() ? g : nullptr;
}

}  // namespace fg::kernels
