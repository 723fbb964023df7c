#include "config/jinja/budget.h"

#include <algorithm>
#include <limits>

#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {
thread_local RenderBudget* tl_active = nullptr;
const Limits kDefaultLimits{};
}  // namespace

RenderBudget::RenderBudget(Limits limits)
    : limits_(limits),
      // At most ~31 years ahead, so the deadline cannot overflow the clock.
      deadline_(std::chrono::steady_clock::now() +
                std::chrono::seconds(std::min<int64_t>(limits.max_render_seconds, 1'000'000'000))) {
}

void RenderBudget::check_time() const {
  if (std::chrono::steady_clock::now() <= deadline_) return;
  throw TemplateError("render time limit exceeded: the render ran longer than " +
                      std::to_string(limits_.max_render_seconds) + " s (" +
                      LimitNames::kRenderSeconds + ")");
}

void tick() {
  if (tl_active) tl_active->tick();
}

void RenderBudget::count_iteration() {
  tick();
  if (++iterations_ <= limits_.max_loop_iterations) return;
  throw TemplateError(
      "loop iteration limit exceeded: more than " + std::to_string(limits_.max_loop_iterations) +
      " loop iterations and macro calls in one render (" + LimitNames::kLoopIterations + ")");
}

void RenderBudget::enter() {
  tick();
  if (++depth_ > limits_.max_render_depth) {
    --depth_;
    throw TemplateError("maximum recursion depth exceeded: the render nests deeper than " +
                        std::to_string(limits_.max_render_depth) +
                        " levels of statements, expressions, macro calls and includes (" +
                        LimitNames::kRenderDepth + ")");
  }
  try {
    check_native_stack("render");
  } catch (...) {
    --depth_;
    throw;
  }
}

NestGuard::NestGuard() : budget_(tl_active) {
  if (budget_)
    budget_->enter();
  else
    check_native_stack("render");
}

NestGuard::~NestGuard() {
  if (budget_) budget_->leave();
}

ScopedCharge::ScopedCharge(int64_t bytes, const char* what) : bytes_(bytes) {
  reserve_memory(bytes, what);
  if (tl_active) {
    live_ = tl_active->live();
    *live_ += bytes_;
  }
}

ScopedCharge::~ScopedCharge() {
  if (live_) *live_ -= bytes_;
}

void RenderBudget::note_cycle_candidate(const Value& v) {
  if (!v.identity()) return;
  if (candidates_.size() >= compact_at_) {
    candidates_.erase(std::remove_if(candidates_.begin(), candidates_.end(),
                                     [](const WeakValue& w) { return w.expired(); }),
                      candidates_.end());
    compact_at_ = std::max<size_t>(1024, candidates_.size() * 2);
  }
  candidates_.emplace_back(v);
}

std::vector<WeakValue> RenderBudget::take_cycle_candidates() {
  std::vector<WeakValue> out = std::move(candidates_);
  candidates_.clear();
  return out;
}

RenderBudget* active_budget() {
  return tl_active;
}

const Limits& active_limits() {
  return tl_active ? tl_active->limits() : kDefaultLimits;
}

ActiveBudget::ActiveBudget(RenderBudget* budget) : previous_(tl_active) {
  tl_active = budget;
}

ActiveBudget::~ActiveBudget() {
  tl_active = previous_;
}

int64_t memory_room() {
  const int64_t max = active_limits().max_render_memory;
  const int64_t live = tl_active ? std::max<int64_t>(0, *tl_active->live()) : 0;
  return std::max<int64_t>(0, max - live);
}

void reserve_memory(int64_t bytes, const char* what) {
  tick();
  if (bytes >= 0 && bytes <= memory_room()) return;
  const int64_t max = active_limits().max_render_memory;
  const int64_t live = tl_active ? std::max<int64_t>(0, *tl_active->live()) : 0;
  const std::string need = bytes < 0 || bytes == std::numeric_limits<int64_t>::max()
                               ? "more than 8 EiB"
                               : format_bytes(bytes);
  throw TemplateError("render memory limit exceeded: " + std::string(what) + " needs " + need +
                      " with " + format_bytes(live) + " of " + format_bytes(max) + " in use (" +
                      LimitNames::kRenderMemory + ")");
}

int64_t size_add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

int64_t size_mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

void note_cycle_candidate(const Value& container, const Value& added) {
  if (!tl_active || !added.identity()) return;
  tl_active->note_cycle_candidate(container);
}

}  // namespace fg::config::jinja
