// The runtime's backend lookup, explicit host access, and the sealed test backend's seal.
#include <gtest/gtest.h>

#include "core/error.h"
#include "kernels/backend.h"
#include "support/error_of.h"
#include "support/sealed_backend.h"
#include "tensor/ops.h"
#include "tensor/runtime.h"

namespace fg {
namespace {

using test_support::error_of;

TEST(Runtime, ADeviceWithoutABackendIsAClearError) {
  Runtime runtime;
  EXPECT_TRUE(runtime.has_backend(Device::Kind::CPU));
  EXPECT_FALSE(runtime.has_backend(Device::Kind::CUDA));
  EXPECT_NE(error_of([] {
              Tensor::zeros({2}, DType::F32, Device::cuda(0));
            }).find("[runtime] no cuda backend in this build"),
            std::string::npos);
  EXPECT_NE(error_of([] { backend_for(Device::cuda(1)); }).find("device cuda:1 is not available"),
            std::string::npos);
}

TEST(Runtime, AMissingDeviceIndexIsAClearError) {
  test_support::SealedRuntime runtime;
  EXPECT_EQ(&backend_for(runtime.device()), &runtime.sealed());
  EXPECT_NE(error_of([] {
              backend_for(Device::cuda(3));
            }).find("[runtime] device cuda:3 not present (1 cuda device(s))"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              Runtime::current().register_backend(Device::Kind::CUDA, nullptr, 1);
            }).find("no backend"),
            std::string::npos);
}

TEST(Runtime, RuntimesNestAndTheOuterOneReturns) {
  kernels::Backend* outer = &backend_for(Device::cpu());
  {
    Runtime inner;
    EXPECT_EQ(&Runtime::current(), &inner);
    EXPECT_NE(&backend_for(Device::cpu()), outer);
  }
  EXPECT_EQ(&backend_for(Device::cpu()), outer);
}

TEST(SealedDevice, HostAccessGoesThroughCountedCopies) {
  test_support::SealedRuntime runtime;
  const Device dev = runtime.device();
  Tensor a = Tensor::from_vector({1, 2, 3, 4}, {2, 2}, dev);
  EXPECT_EQ(a.device(), dev);
  EXPECT_EQ(runtime.sealed().counters().copies_from_host, 1);
  Tensor b = ops::mul(a, a);
  EXPECT_EQ(b.to_vector(), (std::vector<float>{1, 4, 9, 16}));
  EXPECT_FLOAT_EQ(ops::sum(b).item(), 30.f);
  EXPECT_EQ(runtime.sealed().counters().copies_to_host, 2);
  Tensor host = b.to_host();
  EXPECT_TRUE(host.device().is_host());
  EXPECT_EQ(host.data<float>()[3], 16.f);
  EXPECT_EQ(host.to(dev).to_vector(), b.to_vector());
  EXPECT_EQ(a.to(dev).raw_data(), a.raw_data());  // already there: the same tensor
  EXPECT_NE(b.to_string().find("device=cuda:0, values=[1, 4, 9, 16]"), std::string::npos);
}

TEST(SealedDevice, MovingALeafInPlaceKeepsItsHandles) {
  test_support::SealedRuntime runtime;
  Tensor w = Tensor::from_vector({1, 2}, {2});
  w.set_requires_grad(true);
  Tensor alias = w;
  ops::sum(ops::mul(w, w)).backward();
  w.move_to_(runtime.device());
  EXPECT_EQ(alias.device(), runtime.device());
  EXPECT_EQ(alias.grad().device(), runtime.device());
  EXPECT_EQ(alias.grad().to_vector(), (std::vector<float>{2, 4}));
  Tensor y = ops::mul(w, w);
  EXPECT_NE(error_of([&] { y.move_to_(Device::cpu()); }).find("only leaf tensors"),
            std::string::npos);
}

TEST(SealedDevice, IdChecksRunOnTheDeviceAndNameTheBadId) {
  test_support::SealedRuntime runtime;
  const Device dev = runtime.device();
  Tensor weight = Tensor::zeros({5, 3}, DType::F32, dev);
  Tensor ids = Tensor::from_vector_i64({0, 4, 7, 9}, {4}, dev);
  EXPECT_NE(error_of([&] {
              ops::embedding(weight, ids);
            }).find("[embedding] id 7 at position 2 is out of range for a vocabulary of 5"),
            std::string::npos);
  Tensor negative = Tensor::from_vector_i64({-1}, {1}, dev);
  EXPECT_NE(error_of([&] { ops::embedding(weight, negative); }).find("id -1 at position 0"),
            std::string::npos);
  Tensor logits = Tensor::zeros({3, 5}, DType::F32, dev);
  Tensor labels = Tensor::from_vector_i64({-100, 2, 5}, {3}, dev);
  EXPECT_NE(error_of([&] {
              ops::cross_entropy(logits, labels);
            }).find("[cross_entropy] label 5 at position 2 is outside [0, 5)"),
            std::string::npos);
  runtime.sealed().reset_counters();
  Tensor good = Tensor::from_vector_i64({-100, 2, 4}, {3}, dev);
  EXPECT_NEAR(ops::cross_entropy(logits, good).item(), std::log(5.0), 1e-6);
  // One read for the label check, one for item(): the loss path itself never syncs.
  EXPECT_EQ(runtime.sealed().counters().copies_to_host, 2);
}

TEST(SealedDevice, ShiftLabelsStaysOnTheDevice) {
  test_support::SealedRuntime runtime;
  Tensor ids = Tensor::from_vector_i64({1, 2, 3, 4, 5, 6}, {2, 3}, runtime.device());
  Tensor shifted = ops::shift_labels(ids, -100);
  EXPECT_EQ(shifted.device(), runtime.device());
  EXPECT_EQ(shifted.to_vector_i64(), (std::vector<int64_t>{2, 3, -100, 5, 6, -100}));
}

// The seal itself: a host read of sealed memory must fail loudly, or the tests above prove
// nothing. The tagged address is not mapped, so the read faults.
TEST(SealedDeviceDeathTest, AHostReadOfDeviceMemoryCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        test_support::SealedRuntime runtime;
        Tensor t = Tensor::from_vector({1, 2}, {2}, runtime.device());
        volatile float x = t.data<float>()[0];
        (void)x;
      },
      "");
}

}  // namespace
}  // namespace fg
