#include "tensor/deferred_id_checks.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/sealed_backend.h"
#include "tensor/ops.h"

namespace fg {
namespace {

using test_support::SealedRuntime;

TEST(DeferredIdChecks, WhileRecordingTheOpsReadNothingBackAndVerifyReadsTheirChecks) {
  SealedRuntime rt;
  const Device dev = SealedRuntime::device();
  Tensor weight = Tensor::full({10, 3}, 0.5f).to(dev);
  Tensor ids = Tensor::from_vector_i64({1, 2, 9}, {3}, dev);
  DeferredIdChecks checks;
  rt.sealed().reset_counters();
  checks.start();
  EXPECT_EQ(DeferredIdChecks::recording(), &checks);
  Tensor out = ops::embedding(weight, ids);
  checks.stop();
  EXPECT_EQ(DeferredIdChecks::recording(), nullptr);
  EXPECT_EQ(rt.sealed().counters().copies_to_host, 0);  // the eager op reads its check back
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_NO_THROW(checks.verify());
  EXPECT_GT(rt.sealed().counters().copies_to_host, 0);
}

TEST(DeferredIdChecks, VerifyNamesTheOpTheIdAndItsPosition) {
  Tensor ids = Tensor::from_vector_i64({1, 12, 3}, {3});
  Tensor result = Tensor::empty({2}, DType::I64);
  backend_for(ids.device())
      .count_invalid_ids(ids.data<int64_t>(), 3, 0, 10, 0, result.data<int64_t>());
  DeferredIdChecks checks;
  checks.add(result, ids, "embedding", 0, 10, 0);
  try {
    checks.verify();
    FAIL() << "a bad id passed";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "[embedding] id 12 at position 1 is outside [0, 10)");
  }
}

}  // namespace
}  // namespace fg
