// The tape: accumulation into leaves, shared inputs, NoGradGuard, zero_grad, released graphs.
#include <gtest/gtest.h>

#include "core/error.h"
#include "tensor/ops.h"

namespace fg {
namespace {

TEST(Backward, AccumulatesIntoLeaves) {
  Tensor x = Tensor::from_vector({1, 2, 3}, {3});
  x.set_requires_grad(true);
  // y = sum(x * x + 3x) -> dy/dx = 2x + 3
  Tensor y = ops::sum(ops::add(ops::mul(x, x), ops::scale(x, 3.f)));
  y.backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{5, 7, 9}));
  Tensor y2 = ops::sum(x);
  y2.backward();  // += 1
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{6, 8, 10}));
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
}

TEST(Backward, NoGradGuardRecordsNothing) {
  Tensor x = Tensor::ones({2});
  x.set_requires_grad(true);
  {
    NoGradGuard g;
    EXPECT_FALSE(grad_enabled());
    Tensor y = ops::scale(x, 2.f);
    EXPECT_FALSE(y.requires_grad());
    EXPECT_THROW(ops::sum(y).backward(), Error);
  }
  EXPECT_TRUE(grad_enabled());
}

TEST(Backward, GraphRunsOnce) {
  Tensor x = Tensor::ones({2});
  x.set_requires_grad(true);
  Tensor y = ops::sum(ops::scale(x, 2.f));
  y.backward();
  EXPECT_THROW(y.backward(), Error);
}

TEST(Backward, NonScalarNeedsExplicitGradient) {
  Tensor x = Tensor::ones({2});
  x.set_requires_grad(true);
  Tensor y = ops::scale(x, 2.f);
  EXPECT_THROW(y.backward(), ShapeError);
  y.backward(Tensor::from_vector({1, 10}, {2}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{2, 20}));
}

TEST(Backward, SharedIntermediateSumsAliasedGradients) {
  // add() hands the same gradient tensor to both inputs; h receives it three times.
  Tensor x = Tensor::from_vector({1, -2}, {2});
  x.set_requires_grad(true);
  Tensor h = ops::scale(x, 3.f);
  Tensor y = ops::add(ops::add(h, h), h);
  y.backward(Tensor::from_vector({1, 10}, {2}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{9, 90}));
}

TEST(Backward, LinearMatchesHandComputed) {
  Tensor x = Tensor::from_vector({1, 2}, {1, 2});
  Tensor w = Tensor::from_vector({1, 0, 0, 1, 1, 1}, {3, 2});
  Tensor b = Tensor::from_vector({0.5f, 0, -1}, {3});
  w.set_requires_grad(true);
  b.set_requires_grad(true);
  x.set_requires_grad(true);
  Tensor y = ops::linear(x, w, b);
  EXPECT_EQ(y.to_vector(), (std::vector<float>{1.5f, 2, 2}));
  ops::sum(y).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{2, 2}));
  EXPECT_EQ(w.grad().to_vector(), (std::vector<float>{1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(b.grad().to_vector(), (std::vector<float>{1, 1, 1}));
}

}  // namespace
}  // namespace fg

namespace fg {
namespace {

TEST(Backward, InPlaceChangeOfASavedInputIsAnError) {
  Tensor w = Tensor::from_vector({1, 2}, {2});
  w.set_requires_grad(true);
  Tensor x = Tensor::from_vector({3, 4}, {2});
  Tensor y = ops::sum(ops::mul(w, x));  // saves x for w's gradient
  x.fill_(0.f);
  try {
    y.backward();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("modified in place"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fg

namespace fg {
namespace {

TEST(Backward, DetachStopsGradientAndReshapeViewsCarryIt) {
  Tensor x = Tensor::from_vector({1, 2, 3, 4}, {2, 2});
  x.set_requires_grad(true);
  Tensor v = ops::reshape(x, {4});
  EXPECT_TRUE(v.same_storage(x));
  Tensor y = ops::sum(ops::add(ops::scale(v, 2.f), ops::scale(v.detach(), 100.f)));
  y.backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{2, 2, 2, 2}));
  EXPECT_EQ(x.grad().shape(), (Shape{2, 2}));
}

TEST(Backward, TiedWeightSumsBothUses) {
  // Embedding and output head share one weight, as tied LM heads do.
  Tensor w = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {3, 2});
  w.set_requires_grad(true);
  Tensor ids = Tensor::from_vector_i64({2}, {1});
  Tensor h = ops::embedding(w, ids);            // [1, 2] = w[2]
  Tensor logits = ops::linear(h, w, Tensor());  // [1, 3]
  ops::sum(logits).backward();
  // d/dw from the head: each row gets h = (5, 6); from the lookup: row 2 gets sum_j w[j] = (9, 12).
  EXPECT_EQ(w.grad().to_vector(), (std::vector<float>{5, 6, 5, 6, 14, 18}));
}

}  // namespace
}  // namespace fg
