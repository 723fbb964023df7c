// GradReadyHook: backward calls it once per leaf, after the last gradient reached the leaf.
#include "autograd/grad_ready.h"

#include <gtest/gtest.h>

#include <map>

#include "tensor/ops.h"

namespace fg {
namespace {

TEST(GradReadyHook, FiresOncePerLeafWithItsFinalGradient) {
  Tensor a = Tensor::from_vector({1, 2}, {2}).set_requires_grad(true);
  Tensor b = Tensor::from_vector({3, 4}, {2}).set_requires_grad(true);
  // a feeds two ops, so its gradient b + 1 is final only after both delivered.
  Tensor loss = ops::add(ops::sum(ops::mul(a, b)), ops::sum(a));
  std::map<const TensorImpl*, std::vector<float>> seen;
  int calls = 0;
  {
    autograd::GradReadyHook hook([&](const std::shared_ptr<TensorImpl>& leaf) {
      ++calls;
      seen[leaf.get()] = Tensor(leaf).grad().to_vector();
    });
    loss.backward();
  }
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(seen[a.impl().get()], (std::vector<float>{4, 5}));
  EXPECT_EQ(seen[b.impl().get()], (std::vector<float>{1, 2}));
  EXPECT_EQ(autograd::GradReadyHook::current(), nullptr);
}

}  // namespace
}  // namespace fg
