#pragma once
// The limits of the template engine, in one place (docs/security.md lists them). A template is
// untrusted input: past a limit a render fails with a TemplateError that names the limit, the
// environment variable that overrides it, and the template:line; it never crashes or hangs.
#include <cstdint>
#include <string>

namespace fg::config::jinja {

struct Limits {
  // Nesting inside one template: open brackets (lexer), statements inside statements and
  // sub-expressions inside expressions (parser). FORGATHER_MAX_TEMPLATE_DEPTH.
  int64_t max_template_depth = 256;
  // Nesting while rendering: statements, expressions, macro/caller/super calls, includes and
  // imports together; also how deep a value may nest when it is printed, compared or
  // serialised. FORGATHER_MAX_RENDER_DEPTH.
  int64_t max_render_depth = 1000;
  // Text one render may output (each block, macro and `set` body counts on its own).
  // FORGATHER_MAX_RENDER_BYTES.
  int64_t max_render_bytes = int64_t{64} << 20;
  // `for` iterations plus macro calls in one render. FORGATHER_MAX_LOOP_ITERATIONS.
  int64_t max_loop_iterations = 1'000'000;
  // Bytes of strings, lists and dicts a render may hold at once; a build that would pass it is
  // refused before it allocates. FORGATHER_MAX_RENDER_MEMORY.
  int64_t max_render_memory = int64_t{512} << 20;
  // Wall-clock seconds one render may take: the backstop for work that is slow without being
  // deep, long or large (quadratic loops). FORGATHER_MAX_RENDER_SECONDS.
  int64_t max_render_seconds = 20;

  // The defaults above, each overridden by its environment variable when that is set. A value
  // that is not a positive integer is a ConfigError naming the variable.
  static Limits from_env();
};

// The name of the environment variable of a limit, e.g. "FORGATHER_MAX_RENDER_BYTES".
struct LimitNames {
  static constexpr const char* kTemplateDepth = "FORGATHER_MAX_TEMPLATE_DEPTH";
  static constexpr const char* kRenderDepth = "FORGATHER_MAX_RENDER_DEPTH";
  static constexpr const char* kRenderBytes = "FORGATHER_MAX_RENDER_BYTES";
  static constexpr const char* kLoopIterations = "FORGATHER_MAX_LOOP_ITERATIONS";
  static constexpr const char* kRenderMemory = "FORGATHER_MAX_RENDER_MEMORY";
  static constexpr const char* kRenderSeconds = "FORGATHER_MAX_RENDER_SECONDS";
};

// jinja2's sandbox limit on range() (MAX_RANGE); not configurable, as in jinja2.
constexpr int64_t kMaxRange = 100'000;

// Throws when the native stack of this thread is nearly used up: the backstop behind the depth
// limits, for threads with small stacks and sanitizer builds with large frames. `what` names
// the construct ("parser", "render", ...).
void check_native_stack(const char* what);

// "1.5 MiB"-style size for messages.
std::string format_bytes(int64_t bytes);

}  // namespace fg::config::jinja
