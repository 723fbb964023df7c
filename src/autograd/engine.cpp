// Reverse-mode traversal: Kahn's algorithm over the node graph so each node runs once, after
// every consumer of its output has delivered its gradient.
#include <unordered_map>
#include <vector>

#include "autograd/grad_ready.h"
#include "autograd/node.h"
#include "core/check.h"
#include "kernels/backend.h"

namespace fg::autograd {

namespace {

// Adds g into acc; takes g's buffer when nobody else can see it.
void accumulate(std::shared_ptr<TensorImpl>& acc, Tensor&& g) {
  if (!acc) {
    bool exclusive = g.impl().use_count() == 1 && g.impl()->storage.use_count() == 1 &&
                     g.impl()->grad_fn == nullptr;
    acc = exclusive ? g.impl() : g.clone().impl();
    return;
  }
  Tensor a(acc);
  backend_for(a.device()).axpy(g.data<float>(), a.data<float>(), a.numel(), 1.f);
}

// A node's incoming gradient. The first one is kept as is (it may alias a tensor another node
// also received); a second one is summed into a buffer this map owns.
struct Pending {
  std::shared_ptr<TensorImpl> grad;
  bool owned = false;
};

void accumulate_pending(Pending& p, Tensor&& g) {
  if (!p.grad) {
    p.grad = g.impl();
    return;
  }
  Tensor a(p.grad);
  if (!p.owned) {
    Tensor sum = Tensor::empty(a.shape(), DType::F32, a.device());
    backend_for(a.device())
        .binary_forward(kernels::BinaryOp::Add, a.data<float>(), g.data<float>(), sum.data<float>(),
                        a.numel(), a.numel());
    p.grad = sum.impl();
    p.owned = true;
    return;
  }
  backend_for(a.device()).axpy(g.data<float>(), a.data<float>(), a.numel(), 1.f);
}

void check_grad(const Node& node, size_t i, const Tensor& g, const Shape* expect) {
  if (expect && g.shape() != *expect)
    throw ShapeError(fmt::format("[backward] {} returned gradient {} of shape {}, expected {}",
                                 node.name(), i, shape_str(g.shape()), shape_str(*expect)));
}

}  // namespace

void run_backward(const Tensor& root, const Tensor& grad) {
  FG_CHECK(root.defined() && grad.defined(), "[backward] root and gradient must be defined");
  FG_CHECK_SHAPE(root.shape() == grad.shape(),
                 "[backward] gradient shape {} does not match tensor shape {}",
                 shape_str(grad.shape()), shape_str(root.shape()));
  FG_CHECK_SHAPE(root.device() == grad.device(),
                 "[backward] gradient is on {} but the tensor is on {}", grad.device().to_string(),
                 root.device().to_string());
  FG_CHECK(root.requires_grad(),
           "[backward] the tensor does not require grad (no input had requires_grad set, or it "
           "was computed under NoGradGuard)");
  NoGradGuard no_grad;
  if (!root.grad_fn()) {
    accumulate(root.impl()->grad, grad.clone());
    return;
  }
  // Count, for each node, how many consumers will send it a gradient.
  std::unordered_map<Node*, int64_t> deps;
  // With a GradReadyHook: for each leaf, how many nodes will still deliver to it.
  const GradReadyFn* ready_hook = GradReadyHook::current();
  std::unordered_map<TensorImpl*, int64_t> leaf_deps;
  std::vector<Node*> stack{root.grad_fn().get()};
  deps[root.grad_fn().get()] = 0;
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->edges()) {
      if (e.leaf && ready_hook) leaf_deps[e.leaf.get()]++;
      if (!e.node) continue;
      auto [it, fresh] = deps.try_emplace(e.node.get(), 0);
      it->second++;
      if (fresh) stack.push_back(e.node.get());
    }
  }
  std::unordered_map<Node*, Pending> pending;
  pending[root.grad_fn().get()].grad = grad.impl();
  std::vector<std::shared_ptr<Node>> ready{root.grad_fn()};
  while (!ready.empty()) {
    std::shared_ptr<Node> node = std::move(ready.back());
    ready.pop_back();
    Tensor g(std::move(pending[node.get()].grad));
    pending.erase(node.get());
    std::vector<Tensor> grads = node->apply(g);
    g = Tensor();
    node->release();
    FG_CHECK(grads.size() == node->edges().size(),
             "[backward] {} returned {} gradients for {} inputs", node->name(), grads.size(),
             node->edges().size());
    for (size_t i = 0; i < grads.size(); ++i) {
      Edge& e = node->edges()[i];
      if (e.leaf && ready_hook) {
        if (grads[i].defined()) {
          check_grad(*node, i, grads[i], &e.leaf->shape);
          accumulate(e.leaf->grad, std::move(grads[i]));
        }
        if (--leaf_deps[e.leaf.get()] == 0) (*ready_hook)(e.leaf);
        continue;
      }
      if (!e.active() || !grads[i].defined()) continue;
      if (e.leaf) {
        check_grad(*node, i, grads[i], &e.leaf->shape);
        accumulate(e.leaf->grad, std::move(grads[i]));
        continue;
      }
      accumulate_pending(pending[e.node.get()], std::move(grads[i]));
      if (--deps[e.node.get()] == 0) ready.push_back(e.node);
    }
  }
}

}  // namespace fg::autograd
