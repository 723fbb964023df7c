#include "kernels/cpu/caching_allocator.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <fstream>

#include <cstdint>

namespace fg::kernels::cpu {
namespace {

TEST(CachingAllocator, ReusesFreedBlocksOfTheSameSize) {
  CachingAllocator a;
  void* p = a.allocate(1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
  a.deallocate(p, 1000);
  void* q = a.allocate(990);  // same rounded size
  EXPECT_EQ(p, q);
  AllocatorStats s = a.stats();
  EXPECT_EQ(s.fresh_allocations, 1);
  EXPECT_EQ(s.cache_hits, 1);
  void* r = a.allocate(5000);
  EXPECT_NE(r, q);
  EXPECT_EQ(a.stats().fresh_allocations, 2);
  a.deallocate(q, 990);
  a.deallocate(r, 5000);
  EXPECT_EQ(a.stats().bytes_in_use, 0);
  a.empty_cache();
  EXPECT_EQ(a.stats().bytes_reserved, 0);
}

// A request may take a somewhat larger idle block, but not one twice its size: that is an f32
// tensor's block to its bf16 copy, and handing it out would keep the saving from happening.
TEST(CachingAllocator, ServesNearSizesButNotHalfSizes) {
  CachingAllocator a;
  const size_t f32_bytes = 4 << 20, bf16_bytes = f32_bytes / 2;
  void* big = a.allocate(f32_bytes);
  a.deallocate(big, f32_bytes);
  void* half = a.allocate(bf16_bytes);
  EXPECT_NE(half, big);
  EXPECT_EQ(a.stats().fresh_allocations, 2);
  void* near = a.allocate(f32_bytes - f32_bytes / 8);
  EXPECT_EQ(near, big);
  EXPECT_EQ(a.stats().cache_hits, 1);
  a.deallocate(half, bf16_bytes);
  a.deallocate(near, f32_bytes - f32_bytes / 8);
}

TEST(CachingAllocator, RoundingWastesLittle) {
  for (size_t b : {1ul, 64ul, 65ul, 70000ul, 1000000ul, 12345678ul}) {
    size_t r = CachingAllocator::round_size(b);
    EXPECT_GE(r, b);
    EXPECT_LE(r, b + b / 8 + 64);
    EXPECT_EQ(r % 64, 0u);
  }
}

}  // namespace
}  // namespace fg::kernels::cpu

namespace fg::kernels::cpu {
namespace {

TEST(CachingAllocator, DropsAnIdleCacheThatOutgrowsLiveMemory) {
  // Growing sizes (like a KV cache) each leave a block behind; the cache must not grow forever.
  CachingAllocator a;
  size_t size = 1 << 20;
  for (int i = 0; i < 26; ++i, size += size / 4) {
    void* p = a.allocate(size);
    a.deallocate(p, size);
    AllocatorStats s = a.stats();
    EXPECT_LE(s.bytes_reserved - s.bytes_in_use,
              CachingAllocator::kCacheFloorBytes + static_cast<int64_t>(4 * size));
  }
  EXPECT_GT(a.stats().cache_releases, 0);
}

int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

TEST(CachingAllocator, DroppedBlocksGoBackToTheSystem) {
  // glibc's malloc keeps the second 16 MiB block on its heap after the first was freed (its
  // mmap threshold rises), and free() alone then leaves it resident: the cache must trim.
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's allocator holds freed memory in quarantine";
#endif
  constexpr size_t kBytes = size_t{16} << 20;
  CachingAllocator a;
  for (int round = 0; round < 2; ++round) {
    const int64_t before = resident_bytes();
    void* p = a.allocate(kBytes);
    std::memset(p, 1, kBytes);
    EXPECT_GE(resident_bytes() - before, static_cast<int64_t>(kBytes) * 3 / 4);
    a.deallocate(p, kBytes);
    a.empty_cache();
    EXPECT_LT(resident_bytes() - before, static_cast<int64_t>(kBytes) / 4) << "round " << round;
  }
}

}  // namespace
}  // namespace fg::kernels::cpu
