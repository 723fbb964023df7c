#pragma once
// Backward nodes of the eager tape. Each op output holds a Node whose edges point at the nodes
// of its inputs (or at the leaf tensors that accumulate .grad). A node holds only what its
// backward needs and drops it after running (so a graph runs backward once).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace fg::autograd {

class Node;

// Where the gradient for one input goes: the producing node, or a leaf's .grad, or nowhere.
struct Edge {
  std::shared_ptr<Node> node;
  std::shared_ptr<TensorImpl> leaf;
  bool active() const { return node || leaf; }
};

class Node {
 public:
  explicit Node(std::string name) : name_(std::move(name)) {}
  virtual ~Node() = default;
  // grad_output has the shape of the op's output; returns one gradient per input (undefined
  // where the input needs none).
  virtual std::vector<Tensor> apply(const Tensor& grad_output) = 0;
  // Drops saved tensors after apply().
  virtual void release() {}

  const std::string& name() const { return name_; }
  std::vector<Edge>& edges() { return edges_; }
  const std::vector<Edge>& edges() const { return edges_; }
  bool needs_grad(size_t input) const { return input < edges_.size() && edges_[input].active(); }

 private:
  std::string name_;
  std::vector<Edge> edges_;
};

// The backward of most ops: a closure over the saved tensors. needs[i] says whether input i
// wants a gradient.
using BackwardFn =
    std::function<std::vector<Tensor>(const Tensor& g, const std::vector<bool>& needs)>;

class FunctionNode : public Node {
 public:
  FunctionNode(std::string name, BackwardFn fn) : Node(std::move(name)), fn_(std::move(fn)) {}
  std::vector<Tensor> apply(const Tensor& grad_output) override;
  void release() override { fn_ = nullptr; }
  // Remembers the storage version of an input; apply() fails if it changed in place since.
  void watch(const Tensor& input);

 private:
  BackwardFn fn_;
  std::vector<std::pair<std::weak_ptr<Storage>, int64_t>> watched_;
};

// Attaches a FunctionNode to `out` if grad is enabled and any input requires grad.
// Returns true if it recorded.
bool record(Tensor& out, const char* name, const std::vector<const Tensor*>& inputs, BackwardFn fn);

// Runs backward from `root` with gradient `grad` (same shape as root), accumulating into leaves.
void run_backward(const Tensor& root, const Tensor& grad);

}  // namespace fg::autograd
