#include "autograd/node.h"

#include "core/check.h"

namespace fg::autograd {

std::vector<Tensor> FunctionNode::apply(const Tensor& grad_output) {
  FG_CHECK(fn_ != nullptr,
           "[backward] the graph through {} was already run backward and its saved tensors "
           "freed; recompute the forward pass",
           name());
  for (const auto& [storage, version] : watched_) {
    auto st = storage.lock();
    FG_CHECK(!st || st->version == version,
             "[backward] an input of {} was modified in place (copy_/fill_) after the forward "
             "pass used it; its gradient would be wrong",
             name());
  }
  std::vector<bool> needs(edges().size());
  for (size_t i = 0; i < needs.size(); ++i) needs[i] = edges()[i].active();
  return fn_(grad_output, needs);
}

void FunctionNode::watch(const Tensor& input) {
  watched_.emplace_back(input.impl()->storage, input.impl()->storage->version);
}

bool record(Tensor& out, const char* name, const std::vector<const Tensor*>& inputs,
            BackwardFn fn) {
  if (!grad_enabled()) return false;
  bool any = false;
  for (const Tensor* t : inputs) any = any || (t && t->defined() && t->requires_grad());
  if (!any) return false;
  auto node = std::make_shared<FunctionNode>(name, std::move(fn));
  node->edges().reserve(inputs.size());
  for (const Tensor* t : inputs) {
    if (t && t->defined()) node->watch(*t);
    Edge e;
    if (t && t->defined() && t->requires_grad()) {
      if (t->grad_fn())
        e.node = t->grad_fn();
      else
        e.leaf = t->impl();
    }
    node->edges().push_back(std::move(e));
  }
  out.impl()->grad_fn = std::move(node);
  return true;
}

}  // namespace fg::autograd
