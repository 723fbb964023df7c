#pragma once
// A caching host allocator: freed blocks go to per-size free lists and are handed back for the
// next request of the same rounded size (or the smallest idle block up to 1.5 times that size), so
// a steady-state training step (which repeats the same shapes) allocates nothing new from the
// system. A cache miss first drops the idle blocks when they exceed both twice the peak memory in
// use and 256 MiB, and hands the freed memory back to the system.
#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "kernels/types.h"

namespace fg::kernels::cpu {

class CachingAllocator {
 public:
  CachingAllocator() = default;
  ~CachingAllocator();
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  void* allocate(size_t bytes);
  void deallocate(void* p, size_t bytes);
  AllocatorStats stats() const;
  void empty_cache();

  // Rounded block size: 64-byte multiples, then 1/8-octave steps above 64 KiB so nearby sizes
  // share blocks without wasting more than ~12%.
  static size_t round_size(size_t bytes);
  // Idle cache below this size is always kept.
  static constexpr int64_t kCacheFloorBytes = int64_t{256} << 20;

 private:
  void release_if_bloated();  // caller holds mu_
  mutable std::mutex mu_;
  std::map<size_t, std::vector<void*>> free_;      // idle blocks by size (best fit)
  std::unordered_map<void*, size_t> block_sizes_;  // live block -> its size
  AllocatorStats stats_;
};

}  // namespace fg::kernels::cpu
