#include "nn/size_check.h"

#include <fmt/format.h>

#include "core/check.h"
#include "tensor/memory_limit.h"

namespace fg::nn {

void check_parameter_size(const char* component, const char* name, int64_t rows, int64_t cols) {
  int64_t elements = 0, bytes = 0;
  const bool overflow = __builtin_mul_overflow(rows, cols, &elements) ||
                        __builtin_mul_overflow(elements, int64_t{4}, &bytes);
  if (cols == 1)
    FG_CHECK(!overflow, "[{}] {} of {} values overflows int64 (as f32 bytes)", component, name,
             rows);
  FG_CHECK(!overflow, "[{}] {} {} x {} overflows int64 (as f32 bytes)", component, name, rows,
           cols);
}

void check_stack_memory(int64_t layers, int64_t layer_parameters) {
  // In double: the product is only compared, and may be far beyond int64.
  const double bytes = 4.0 * static_cast<double>(layers) * static_cast<double>(layer_parameters);
  const int64_t limit = tensor_memory_limit();
  FG_CHECK(bytes <= static_cast<double>(limit),
           "[LayerStack] {} layers of {} parameters need {} of parameters; this machine allows "
           "{} (set FORGATHER_MEMORY_LIMIT to change the limit)",
           layers, layer_parameters,
           bytes >= 9.2e18 ? fmt::format("{:.3g} bytes", bytes)
                           : format_bytes(static_cast<int64_t>(bytes)),
           format_bytes(limit));
}

}  // namespace fg::nn
