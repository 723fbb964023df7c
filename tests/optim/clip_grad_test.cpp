#include "optim/clip_grad.h"

#include <cmath>

#include <gtest/gtest.h>

namespace fg::optim {
namespace {

std::vector<NamedParameter> params_with_grads(std::vector<float> ga, std::vector<float> gb) {
  Tensor a = Tensor::zeros({static_cast<int64_t>(ga.size())});
  Tensor b = Tensor::zeros({static_cast<int64_t>(gb.size())});
  Tensor c = Tensor::zeros({2});  // no gradient: ignored
  a.set_grad(Tensor::from_vector(ga, {static_cast<int64_t>(ga.size())}));
  b.set_grad(Tensor::from_vector(gb, {static_cast<int64_t>(gb.size())}));
  return {{"a", a}, {"b", b}, {"c", c}};
}

TEST(ClipGrad, ReturnsTotalNormAndScalesToMaxNorm) {
  auto p = params_with_grads({3.0f, 0.0f}, {0.0f, 4.0f, 0.0f});
  EXPECT_DOUBLE_EQ(grad_norm(p), 5.0);
  double total = clip_grad_norm(p, 1.0);
  EXPECT_DOUBLE_EQ(total, 5.0);
  EXPECT_NEAR(grad_norm(p), 1.0, 1e-6);
  std::vector<float> a = p[0].second.grad().to_vector();
  EXPECT_NEAR(a[0], 0.6f, 1e-6);
  EXPECT_NEAR(p[1].second.grad().to_vector()[1], 0.8f, 1e-6);
}

TEST(ClipGrad, NoClippingBelowMaxNormOrWhenDisabled) {
  auto p = params_with_grads({0.3f}, {0.4f});
  EXPECT_NEAR(clip_grad_norm(p, 1.0), 0.5, 1e-7);
  EXPECT_EQ(p[0].second.grad().to_vector()[0], 0.3f);
  auto q = params_with_grads({30.0f}, {40.0f});
  EXPECT_DOUBLE_EQ(clip_grad_norm(q, 0.0), 50.0);
  EXPECT_DOUBLE_EQ(clip_grad_norm(q, -1.0), 50.0);
  EXPECT_EQ(q[0].second.grad().to_vector()[0], 30.0f);
}

TEST(ClipGrad, NonFiniteNormLeavesGradientsAlone) {
  auto p = params_with_grads({NAN, 1.0f}, {2.0f});
  EXPECT_TRUE(std::isnan(clip_grad_norm(p, 1.0)));
  EXPECT_EQ(p[1].second.grad().to_vector()[0], 2.0f);
  std::vector<NamedParameter> none = {{"x", Tensor::zeros({3})}};
  EXPECT_EQ(clip_grad_norm(none, 1.0), 0.0);
}

TEST(ClipGrad, LargeTensorsUseTheParallelPath) {
  std::vector<float> big(200000, 0.01f);
  auto p = params_with_grads(big, {0.0f});
  double expected = std::sqrt(200000.0) * 0.01;
  EXPECT_NEAR(clip_grad_norm(p, 0.5), expected, 1e-5 * expected);
  EXPECT_NEAR(grad_norm(p), 0.5, 1e-5);
}

}  // namespace
}  // namespace fg::optim
