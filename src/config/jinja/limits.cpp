#include "config/jinja/limits.h"

#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/jinja/error.h"
#include "core/error.h"

namespace fg::config::jinja {

namespace {

// A strictly positive decimal integer, at most 10^15 (no sign, no suffix, no spaces).
void read_limit(const char* var, int64_t& value) {
  const char* text = std::getenv(var);
  if (!text) return;
  const std::string s = text;
  bool ok = !s.empty() && s.size() <= 15 && s.find_first_not_of("0123456789") == std::string::npos;
  const int64_t v = ok ? std::stoll(s) : 0;
  if (!ok || v <= 0)
    throw fg::ConfigError("[jinja] environment variable " + std::string(var) + "='" + s +
                          "': expected a positive integer (at most 15 digits)");
  value = v;
}

// This thread's stack: lowest usable address, found once per thread (glibc).
struct StackBounds {
  const char* low = nullptr;
  StackBounds() {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) low = static_cast<const char*>(addr);
    pthread_attr_destroy(&attr);
  }
};

// Room kept free below the deepest check: enough for the frames between two checks and for
// unwinding, even with sanitizer-sized frames.
constexpr size_t kStackReserve = size_t{768} << 10;

}  // namespace

Limits Limits::from_env() {
  Limits l;
  read_limit(LimitNames::kTemplateDepth, l.max_template_depth);
  read_limit(LimitNames::kRenderDepth, l.max_render_depth);
  read_limit(LimitNames::kRenderBytes, l.max_render_bytes);
  read_limit(LimitNames::kLoopIterations, l.max_loop_iterations);
  read_limit(LimitNames::kRenderMemory, l.max_render_memory);
  read_limit(LimitNames::kRenderSeconds, l.max_render_seconds);
  return l;
}

void check_native_stack(const char* what) {
  thread_local const StackBounds bounds;
  if (!bounds.low) return;
  const char* here = static_cast<const char*>(__builtin_frame_address(0));
  if (here > bounds.low && static_cast<size_t>(here - bounds.low) > kStackReserve) return;
  throw TemplateError(std::string("maximum recursion depth exceeded in the ") + what +
                      ": the native stack is nearly used up (lower " + LimitNames::kTemplateDepth +
                      " or " + LimitNames::kRenderDepth + ")");
}

std::string format_bytes(int64_t bytes) {
  static const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 6) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

}  // namespace fg::config::jinja
