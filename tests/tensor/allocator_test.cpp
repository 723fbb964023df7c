// The caching allocator's promise: a steady-state training step allocates nothing new.
#include <gtest/gtest.h>

#include "kernels/backend.h"
#include "tensor/ops.h"

namespace fg {
namespace {

Tensor param(const Shape& s, Rng& rng) {
  std::vector<float> v(shape_numel(s));
  for (float& x : v) x = static_cast<float>(rng.normal(0, 0.1));
  Tensor t = Tensor::from_vector(v, s);
  t.set_requires_grad(true);
  return t;
}

// A small transformer-ish step: embedding, norm, GLU feed-forward, residual, head, loss, SGD.
struct TinyModel {
  Rng rng{7};
  Tensor emb = param({50, 16}, rng), ln_w = param({16}, rng), ln_b = param({16}, rng);
  Tensor w_up = param({64, 16}, rng), w_gate = param({64, 16}, rng), w_down = param({16, 64}, rng);
  Tensor head = param({50, 16}, rng), head_b = param({50}, rng);

  std::vector<Tensor*> params() {
    return {&emb, &ln_w, &ln_b, &w_up, &w_gate, &w_down, &head, &head_b};
  }

  float step(const Tensor& ids, const Tensor& labels, Rng& drop_rng) {
    Tensor x = ops::embedding(emb, ids);
    Tensor h = ops::layer_norm(x, ln_w, ln_b, 1e-5f);
    Tensor ff = ops::glu(ops::linear(h, w_up, Tensor()), ops::linear(h, w_gate, Tensor()),
                         ops::Activation::SiLU);
    ff = ops::dropout(ops::linear(ff, w_down, Tensor()), 0.1f, true, drop_rng);
    Tensor y = ops::add(x, ff);
    Tensor logits = ops::linear(ops::rms_norm(y, Tensor(), 1e-6f), head, head_b);
    Tensor loss = ops::cross_entropy(logits, labels);
    loss.backward();
    NoGradGuard no_grad;
    for (Tensor* p : params()) {
      backend_for(p->device()).axpy(p->grad().data<float>(), p->data<float>(), p->numel(), -0.1f);
      p->zero_grad();
    }
    return loss.item();
  }
};

TEST(CachingAllocator, SteadyStateStepAllocatesNothing) {
  TinyModel m;
  std::vector<int64_t> id(4 * 12), lab(4 * 12);
  for (size_t i = 0; i < id.size(); ++i) {
    id[i] = static_cast<int64_t>((i * 7) % 50);
    lab[i] = i % 5 == 0 ? -100 : static_cast<int64_t>((i * 3) % 50);
  }
  Tensor ids = Tensor::from_vector_i64(id, {4, 12});
  Tensor labels = Tensor::from_vector_i64(lab, {4, 12});
  Rng drop_rng(3);
  kernels::Backend& be = backend_for(Device::cpu());
  float first = m.step(ids, labels, drop_rng);  // warm-up fills the cache
  ASSERT_GT(be.allocator_stats().fresh_allocations, 0);
  kernels::AllocatorStats before = be.allocator_stats();
  float second = m.step(ids, labels, drop_rng);
  float third = m.step(ids, labels, drop_rng);
  kernels::AllocatorStats after = be.allocator_stats();
  EXPECT_EQ(after.fresh_allocations, before.fresh_allocations)
      << "steps 2 and 3 requested memory the cache could not serve";
  EXPECT_GT(after.cache_hits, before.cache_hits);
  EXPECT_EQ(after.bytes_in_use, before.bytes_in_use) << "a step leaked tensors";
  EXPECT_LT(third, first) << "SGD on a fixed batch should lower the loss";
  (void)second;
}

}  // namespace
}  // namespace fg
