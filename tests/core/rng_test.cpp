#include "core/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace fg {

TEST(Rng, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    EXPECT_NE(x, c.next_u64());
  }
}

TEST(Rng, StateRestoresExactly) {
  Rng a(7);
  for (int i = 0; i < 10; ++i) a.uniform();
  RngState saved = a.state();
  double expected = a.normal();
  Rng b(saved);
  EXPECT_EQ(b.normal(), expected);
}

TEST(Rng, UniformAndNormalMoments) {
  Rng r(1);
  const int n = 200000;
  double sum = 0, sum2 = 0, nsum = 0, nsum2 = 0;
  for (int i = 0; i < n; ++i) {
    double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
    double z = r.normal();
    nsum += z;
    nsum2 += z * z;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.01);
  EXPECT_NEAR(sum2 / n - 0.25, 1.0 / 12, 0.01);
  EXPECT_NEAR(nsum / n, 0.0, 0.01);
  EXPECT_NEAR(nsum2 / n, 1.0, 0.02);
}

TEST(Rng, BelowCoversRange) {
  Rng r(3);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint64_t x = r.below(10);
    ASSERT_LT(x, 10u);
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST(Rng, ForkedStreamsDiffer) {
  Rng r(5);
  EXPECT_NE(r.fork(0).next_u64(), r.fork(1).next_u64());
  EXPECT_EQ(r.fork(2).next_u64(), r.fork(2).next_u64());
}

}  // namespace fg
