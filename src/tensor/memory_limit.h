#pragma once
// How much tensor memory this process may hold, checked before a large allocation so that an
// oversized model or batch is an error giving the sizes rather than an out-of-memory kill.
#include <cstdint>
#include <string>

namespace fg {

// Allocations below this are not checked: the check reads the environment and /sys.
inline constexpr int64_t kMemoryCheckThreshold = int64_t{64} << 20;

// FORGATHER_MEMORY_LIMIT (bytes, or a number with a K/M/G/T suffix) when set; else the
// machine's physical memory, or the cgroup's memory.max when that is lower.
int64_t tensor_memory_limit();

// "16.0 GiB", "512 B" for messages.
std::string format_bytes(int64_t bytes);

// Throws fg::Error when `bytes` more, on top of `in_use`, would pass the limit. `what` describes
// the allocation ("[Tensor] [65536, 65536] f32").
void check_tensor_memory(int64_t bytes, int64_t in_use, const std::string& what);

}  // namespace fg
