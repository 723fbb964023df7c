#pragma once
// The budget of the render in progress on this thread: the limits it runs under, the memory its
// strings, lists and dicts hold, its loop iterations, and the containers that may have formed
// reference cycles. The Renderer installs it for the duration of a render (ActiveBudget);
// values, filters and methods charge it through the functions below, which use the default
// limits when no render is active. One per render; renders on other threads have their own.
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "config/jinja/limits.h"
#include "config/jinja/value.h"

namespace fg::config::jinja {

class RenderBudget {
 public:
  explicit RenderBudget(Limits limits);
  RenderBudget(const RenderBudget&) = delete;
  RenderBudget& operator=(const RenderBudget&) = delete;

  const Limits& limits() const { return limits_; }
  // Bytes held now by values this render created; shared with their deleters, which may run
  // after the render.
  const std::shared_ptr<int64_t>& live() const { return live_; }
  // One `for` iteration or macro call; throws past max_loop_iterations.
  void count_iteration();
  // One level of render nesting (statements, expressions, calls, filters applying filters);
  // throws past max_render_depth or near the end of the native stack.
  void enter();
  void leave() { --depth_; }
  // A unit of work: every 1024th checks the clock against max_render_seconds.
  void tick() {
    if ((++ticks_ & 1023) == 0) check_time();
  }
  // A container that was mutated to hold another container or a function.
  void note_cycle_candidate(const Value& v);
  std::vector<WeakValue> take_cycle_candidates();

 private:
  Limits limits_;
  std::shared_ptr<int64_t> live_ = std::make_shared<int64_t>(0);
  void check_time() const;

  int64_t iterations_ = 0;
  int64_t depth_ = 0;
  uint64_t ticks_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<WeakValue> candidates_;
  size_t compact_at_ = 1024;
};

// The budget of the render running on this thread, or null.
RenderBudget* active_budget();
// Its limits, or the defaults when no render is active.
const Limits& active_limits();

// Makes `budget` this thread's active budget until destroyed (then restores the previous one).
class ActiveBudget {
 public:
  explicit ActiveBudget(RenderBudget* budget);
  ~ActiveBudget();
  ActiveBudget(const ActiveBudget&) = delete;
  ActiveBudget& operator=(const ActiveBudget&) = delete;

 private:
  RenderBudget* previous_;
};

// A unit of work for the active render's time limit (no-op outside a render).
void tick();

// Throws "render memory limit exceeded" when building `bytes` more (for `what`, e.g. "str * int")
// would pass max_render_memory. Call it before building anything whose size the template
// controls. Negative or overflowing sizes count as too large.
void reserve_memory(int64_t bytes, const char* what);
// Bytes still free under the memory limit.
int64_t memory_room();

// One level of render nesting on the active budget (none outside a render: then only the
// native stack is checked).
class NestGuard {
 public:
  NestGuard();
  ~NestGuard();
  NestGuard(const NestGuard&) = delete;
  NestGuard& operator=(const NestGuard&) = delete;

 private:
  RenderBudget* budget_;
};

// Memory a render holds outside values (copied call arguments): charged while it lives.
class ScopedCharge {
 public:
  ScopedCharge(int64_t bytes, const char* what);
  ~ScopedCharge();
  ScopedCharge(const ScopedCharge&) = delete;
  ScopedCharge& operator=(const ScopedCharge&) = delete;

 private:
  std::shared_ptr<int64_t> live_;
  int64_t bytes_;
};

// Size arithmetic that saturates at INT64_MAX instead of overflowing (inputs >= 0).
int64_t size_add(int64_t a, int64_t b);
int64_t size_mul(int64_t a, int64_t b);

// Registers a possible cycle with the active budget (no-op outside a render). Containers are
// candidates when they receive a container or function.
void note_cycle_candidate(const Value& container, const Value& added);

}  // namespace fg::config::jinja
