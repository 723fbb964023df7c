#include "kernels/cpu/caching_allocator.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <new>

#include <sys/mman.h>

namespace fg::kernels::cpu {

namespace {
constexpr size_t kAlign = 64;
// Blocks from this size up are mapped directly. glibc's malloc raises its own mmap threshold
// after large frees, then serves such blocks from the heap, where a release no longer returns
// them to the system: RSS then grows with every new shape (4.8 GB in a 600-step run).
constexpr size_t kMapBytes = size_t{1} << 20;

void* system_allocate(size_t size) {
  if (size < kMapBytes) return std::aligned_alloc(kAlign, size);
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;  // page-aligned, so kAlign-aligned
}

void system_free(void* p, size_t size) {
  if (size < kMapBytes) {
    std::free(p);
  } else {
    munmap(p, size);
  }
}
}  // namespace

CachingAllocator::~CachingAllocator() {
  empty_cache();
}

size_t CachingAllocator::round_size(size_t bytes) {
  size_t b = std::max<size_t>(bytes, 1);
  b = (b + kAlign - 1) / kAlign * kAlign;
  if (b <= 65536) return b;
  // Step = 1/8 of the highest power of two below b.
  size_t step = std::bit_floor(b) / 8;
  return (b + step - 1) / step * step;
}

void* CachingAllocator::allocate(size_t bytes) {
  size_t size = round_size(bytes);
  std::lock_guard<std::mutex> lock(mu_);
  void* p = nullptr;
  auto it = free_.find(size);
  if (it != free_.end() && !it->second.empty()) {
    p = it->second.back();
    it->second.pop_back();
    stats_.cache_hits++;
  } else {
    release_if_bloated();
    p = system_allocate(size);
    if (p == nullptr) throw std::bad_alloc();
    stats_.fresh_allocations++;
    stats_.bytes_reserved += static_cast<int64_t>(size);
    stats_.peak_bytes_reserved = std::max(stats_.peak_bytes_reserved, stats_.bytes_reserved);
  }
  stats_.bytes_in_use += static_cast<int64_t>(size);
  stats_.peak_bytes_in_use = std::max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  return p;
}

void CachingAllocator::deallocate(void* p, size_t bytes) {
  if (p == nullptr) return;
  size_t size = round_size(bytes);
  std::lock_guard<std::mutex> lock(mu_);
  free_[size].push_back(p);
  stats_.bytes_in_use -= static_cast<int64_t>(size);
}

void CachingAllocator::release_if_bloated() {
  // Shapes that keep changing (KV-cache generation, variable-length batches) leave blocks nobody
  // asks for again. Drop the idle cache when it exceeds the high-water mark of live memory (and a
  // floor). A fixed-shape training step, whose blocks all come back each step, stays below that.
  int64_t cached = stats_.bytes_reserved - stats_.bytes_in_use;
  if (cached <= std::max<int64_t>(stats_.peak_bytes_in_use, kCacheFloorBytes)) return;
  for (auto& [sz, blocks] : free_) {
    for (void* b : blocks) system_free(b, sz);
    stats_.bytes_reserved -= static_cast<int64_t>(sz * blocks.size());
  }
  free_.clear();
  stats_.cache_releases++;
}

AllocatorStats CachingAllocator::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void CachingAllocator::empty_cache() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [size, blocks] : free_) {
    for (void* p : blocks) system_free(p, size);
    stats_.bytes_reserved -= static_cast<int64_t>(size * blocks.size());
  }
  free_.clear();
}

}  // namespace fg::kernels::cpu
