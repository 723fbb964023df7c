// Drives every row of the op table (op_table.h) through the three checks.
#include <gtest/gtest.h>

#include <cmath>

#include "autograd/gradcheck.h"
#include "core/error.h"
#include "core/rng.h"
#include "op_table.h"
#include "support/sealed_backend.h"
#ifdef FG_WITH_CUDA
#include "support/cuda_runtime.h"
#endif
#include "tensor/ops.h"

namespace fg::test {
namespace {

struct Inputs {
  std::vector<Vec> values;  // doubles exactly equal to the tensor contents (after rounding)
  std::vector<Tensor> tensors;
};

Inputs make_inputs(const OpCase& c, uint64_t seed, Device device = Device::cpu()) {
  Rng rng(seed);
  Inputs in;
  for (const InputSpec& s : c.inputs) {
    int64_t n = shape_numel(s.shape);
    Vec v(n);
    if (s.kind == InputSpec::Kind::Ids) {
      std::vector<int64_t> ids(n);
      for (int64_t i = 0; i < n; ++i) {
        ids[i] = (s.with_ignore && i % 3 == 1) ? -100 : static_cast<int64_t>(rng.below(s.id_max));
        v[i] = static_cast<double>(ids[i]);
      }
      in.tensors.push_back(Tensor::from_vector_i64(ids, s.shape, device));
    } else {
      std::vector<float> f(n);
      for (int64_t i = 0; i < n; ++i) {
        double x = rng.normal();
        f[i] = static_cast<float>(s.kind == InputSpec::Kind::Positive ? std::abs(x) + 0.5 : x);
        v[i] = f[i];
      }
      Tensor t = Tensor::from_vector(f, s.shape);
      if (c.dtype != DType::F32 && !s.stays_f32) {
        t = t.to(c.dtype);  // the reference sees the rounded values
        std::vector<float> rounded = t.to_vector();
        v.assign(rounded.begin(), rounded.end());
      }
      in.tensors.push_back(t.to(device));
    }
    in.values.push_back(std::move(v));
  }
  return in;
}

Vec random_vec(size_t n, uint64_t seed) {
  Rng rng(seed);
  Vec v(n);
  for (double& x : v) x = static_cast<float>(rng.normal());
  return v;
}

void expect_close(const std::vector<float>& got, const Vec& want, double tol,
                  const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * (1 + std::abs(want[i]))) << what << " at index " << i;
}

// The device axis: each check runs on the CPU and on the sealed test backend (a second device
// whose memory the host cannot read: tests/support/sealed_backend.h) against the same reference.
void check_forward(const OpCase& c, Device device) {
  Inputs in = make_inputs(c, 11, device);
  NoGradGuard no_grad;
  Tensor out = c.run(in.tensors);
  EXPECT_EQ(out.device(), device) << c.name;
  Vec want = c.ref_forward(in.values);
  EXPECT_EQ(out.numel(), static_cast<int64_t>(want.size()));
  expect_close(out.to_vector(), want, c.tol, c.name + " forward on " + device.to_string());
}

void check_autograd(const OpCase& c, Device device) {
  Inputs in = make_inputs(c, 14, device);
  for (Tensor& t : in.tensors)
    if (is_floating(t.dtype())) t.set_requires_grad(true);
  Tensor out = c.run(in.tensors);
  ASSERT_TRUE(out.requires_grad()) << c.name << " recorded no backward node";
  Vec gy = random_vec(out.numel(), 15);
  out.backward(Tensor::from_vector(std::vector<float>(gy.begin(), gy.end()), out.shape(), device));
  std::vector<Vec> want = c.ref_backward(in.values, gy);
  for (size_t i = 0; i < in.tensors.size(); ++i) {
    if (i >= want.size() || want[i].empty()) continue;
    ASSERT_TRUE(in.tensors[i].grad().defined()) << c.name << " input " << i << " got no grad";
    EXPECT_EQ(in.tensors[i].grad().device(), device) << c.name;
    EXPECT_EQ(in.tensors[i].grad().dtype(), in.tensors[i].dtype())
        << c.name << " input " << i << ": a gradient has its input's dtype";
    expect_close(in.tensors[i].grad().to_vector(), want[i], 2 * c.tol,
                 c.name + " grad of input " + std::to_string(i) + " on " + device.to_string());
  }
}

class OpTable : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpTable, CpuKernelMatchesReference) {
  check_forward(GetParam(), Device::cpu());
}

TEST_P(OpTable, SealedDeviceMatchesReference) {
  test_support::SealedRuntime runtime;
  check_forward(GetParam(), runtime.device());
  if (GetParam().ref_backward) check_autograd(GetParam(), runtime.device());
}

#ifdef FG_WITH_CUDA
// The device axis on a real GPU (test_cuda, ctest label cuda); skipped without one, and for any
// op the CUDA backend refuses as not implemented (none at present), with the refusal as message.
TEST_P(OpTable, CudaDeviceMatchesReference) {
  const std::string why = test_support::cuda_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << why;
  test_support::CudaRuntime runtime;
  try {
    check_forward(GetParam(), Device::cuda(0));
    if (GetParam().ref_backward) check_autograd(GetParam(), Device::cuda(0));
  } catch (const Error& e) {
    if (test_support::is_cuda_not_implemented(e.what())) GTEST_SKIP() << e.what();
    throw;
  }
}
#endif

TEST_P(OpTable, ReferenceGradientMatchesFiniteDifferences) {
  const OpCase& c = GetParam();
  if (!c.ref_backward) GTEST_SKIP() << "no gradient";
  if (c.dtype != DType::F32) GTEST_SKIP() << "the reference is checked once, on the f32 run";
  Inputs in = make_inputs(c, 12);
  Vec gy = random_vec(c.ref_forward(in.values).size(), 13);
  autograd::GradcheckResult r = autograd::gradcheck(c.ref_forward, c.ref_backward, in.values, gy);
  EXPECT_TRUE(r.ok) << c.name << ": " << r.message << " (max abs error " << r.max_abs_error << ")";
}

TEST_P(OpTable, AutogradMatchesReferenceBackward) {
  const OpCase& c = GetParam();
  if (!c.ref_backward) GTEST_SKIP() << "no gradient";
  check_autograd(c, Device::cpu());
}

TEST_P(OpTable, BadArgumentsThrowClearErrors) {
  const OpCase& c = GetParam();
  if (c.dtype != DType::F32) GTEST_SKIP() << "bad arguments are checked on the f32 run";
  EXPECT_FALSE(c.errors.empty()) << c.name << " lists no bad-argument cases";
  for (const ErrorCase& e : c.errors) {
    try {
      e.call();
      ADD_FAILURE() << c.name << " / " << e.what << ": no exception";
    } catch (const ShapeError& err) {
      std::string msg = err.what();
      EXPECT_EQ(msg.rfind("[" + c.op + "]", 0), 0u) << c.name << " / " << e.what << ": " << msg;
      EXPECT_NE(msg.find(e.message), std::string::npos)
          << c.name << " / " << e.what << ": '" << msg << "' lacks '" << e.message << "'";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, OpTable, ::testing::ValuesIn(op_table_runs()),
                         [](const ::testing::TestParamInfo<OpCase>& i) { return i.param.name; });

}  // namespace
}  // namespace fg::test
