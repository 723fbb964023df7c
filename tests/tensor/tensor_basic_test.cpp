// Tensor handle basics: construction, dtype checks, views, copies and errors.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"

namespace fg {
namespace {

TEST(Tensor, UndefinedByDefault) {
  Tensor t;
  EXPECT_FALSE(t.defined());
  EXPECT_THROW(t.shape(), Error);
}

TEST(Tensor, FactoriesAndAccessors) {
  Tensor z = Tensor::zeros({2, 3});
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  EXPECT_EQ(z.numel(), 6);
  EXPECT_EQ(z.dim(), 2);
  EXPECT_EQ(z.size(-1), 3);
  EXPECT_EQ(z.dtype(), DType::F32);
  EXPECT_EQ(z.device(), Device::cpu());
  for (float v : z.to_vector()) EXPECT_EQ(v, 0.f);
  Tensor f = Tensor::full({4}, 2.5f);
  for (float v : f.to_vector()) EXPECT_EQ(v, 2.5f);
  Tensor ids = Tensor::from_vector_i64({1, 2, 3}, {3});
  EXPECT_EQ(ids.dtype(), DType::I64);
  EXPECT_EQ(ids.to_vector_i64(), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_THROW(ids.data<float>(), Error);
  EXPECT_THROW(Tensor::from_vector({1, 2}, {3}), ShapeError);
  EXPECT_FLOAT_EQ(Tensor::scalar(3.f).item(), 3.f);
}

TEST(Tensor, CloneDetachCopyFill) {
  Tensor a = Tensor::from_vector({1, 2, 3, 4}, {2, 2});
  Tensor d = a.detach();
  EXPECT_TRUE(d.same_storage(a));
  Tensor c = a.clone();
  EXPECT_FALSE(c.same_storage(a));
  c.fill_(7.f);
  EXPECT_EQ(a.to_vector()[0], 1.f);
  a.copy_(c);
  EXPECT_EQ(a.to_vector()[3], 7.f);
  EXPECT_EQ(d.to_vector()[3], 7.f);
  EXPECT_THROW(a.copy_(Tensor::zeros({3})), ShapeError);
  EXPECT_NE(a.to_string().find("[2, 2]"), std::string::npos);
}

TEST(Tensor, ReshapeIsAView) {
  Tensor a = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor r = ops::reshape(a, {3, -1});
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_TRUE(r.same_storage(a));
  try {
    ops::reshape(a, {4, -1});
    FAIL();
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("[reshape]"), std::string::npos);
  }
}

TEST(Tensor, SetRequiresGradOnlyOnF32Leaves) {
  Tensor a = Tensor::ones({2});
  a.set_requires_grad(true);
  Tensor b = ops::scale(a, 2.f);
  EXPECT_TRUE(b.requires_grad());
  EXPECT_FALSE(b.is_leaf());
  EXPECT_THROW(b.set_requires_grad(false), Error);
  EXPECT_THROW(Tensor::from_vector_i64({1}, {1}).set_requires_grad(true), Error);
}

}  // namespace
}  // namespace fg

namespace fg {
namespace {

TEST(Ops, Int32IdsAreAccepted) {
  Tensor w = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {3, 2});
  Tensor ids32 = Tensor::empty({2}, DType::I32);
  ids32.data<int32_t>()[0] = 2;
  ids32.data<int32_t>()[1] = 0;
  EXPECT_EQ(ops::embedding(w, ids32).to_vector(), (std::vector<float>{5, 6, 1, 2}));
  Tensor logits = Tensor::zeros({2, 3});
  EXPECT_NEAR(ops::cross_entropy(logits, ids32).item(), std::log(3.f), 1e-6);
}

}  // namespace
}  // namespace fg

namespace fg {
namespace {

TEST(Tensor, LargeCloneAndSliceCopyEveryByte) {
  // Sizes that are not multiples of the 64 KiB copy blocks.
  std::vector<float> v(3 * 70001);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  Tensor a = Tensor::from_vector(v, {3, 70001});
  EXPECT_EQ(a.clone().to_vector(), v);
  std::vector<float> mid = ops::slice(a, 0, 1, 2).to_vector();
  EXPECT_EQ(mid, std::vector<float>(v.begin() + 70001, v.begin() + 140002));
  std::vector<float> cols = ops::slice(a, 1, 5, 70000).to_vector();
  EXPECT_EQ(cols[0], 5.f);
  EXPECT_EQ(cols.back(), static_cast<float>(2 * 70001 + 69999));
}

}  // namespace
}  // namespace fg

namespace fg {
namespace {

TEST(Ops, EmptyExtentsFlowThroughForwardAndBackward) {
  Tensor a = Tensor::ones({2, 3});
  a.set_requires_grad(true);
  Tensor e = ops::slice(a, 1, 1, 1);
  EXPECT_EQ(e.shape(), (Shape{2, 0}));
  Tensor y = ops::sum(ops::cat({ops::scale(e, 2.f), ops::slice(a, 1, 0, 1)}, 1));
  EXPECT_FLOAT_EQ(y.item(), 2.f);
  y.backward();
  EXPECT_EQ(a.grad().to_vector(), (std::vector<float>{1, 0, 0, 1, 0, 0}));
  Tensor m = ops::matmul(Tensor::zeros({2, 0}), Tensor::zeros({0, 3}));
  EXPECT_EQ(m.to_vector(), std::vector<float>(6, 0.f));
}

}  // namespace
}  // namespace fg
