#pragma once
// Tensor: a cheap shared handle to contiguous row-major storage with shape, dtype and device, plus
// the autograd links (requires_grad for leaves, grad_fn for op outputs, accumulated grad).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tensor/device.h"
#include "tensor/dtype.h"
#include "tensor/shape.h"

namespace fg {

namespace autograd {
class Node;
}

// A block of device memory returned to its backend's allocator when the last tensor drops it.
struct Storage {
  void* data = nullptr;
  size_t bytes = 0;
  kernels::Backend* backend = nullptr;
  // Bumped by in-place writes (copy_, fill_) so backward can detect a saved input that changed.
  int64_t version = 0;
  // Memory another owner lent (a NumPy array's buffer): `owner` keeps it alive while the storage
  // lives, and it is never returned to the backend's allocator.
  std::shared_ptr<void> owner;
  Storage(kernels::Backend& b, size_t nbytes);
  Storage(kernels::Backend& b, void* lent, size_t nbytes, std::shared_ptr<void> lender);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;  // in elements
  Shape shape;
  int64_t numel = 0;
  DType dtype = DType::F32;
  Device device;
  bool requires_grad = false;               // leaves only
  std::shared_ptr<TensorImpl> grad;         // accumulated by backward()
  std::shared_ptr<autograd::Node> grad_fn;  // set on outputs of recorded ops
};

class Tensor {
 public:
  Tensor() = default;  // undefined
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  static Tensor empty(const Shape& s, DType t = DType::F32, Device d = Device::cpu());
  static Tensor zeros(const Shape& s, DType t = DType::F32, Device d = Device::cpu());
  static Tensor ones(const Shape& s, DType t = DType::F32, Device d = Device::cpu());
  static Tensor full(const Shape& s, float value, Device d = Device::cpu());
  static Tensor scalar(float value) { return full({}, value); }
  // Host values copied onto device d through its backend (Backend::copy_from_host).
  static Tensor from_vector(const std::vector<float>& v, const Shape& s, Device d = Device::cpu());
  static Tensor from_vector_i64(const std::vector<int64_t>& v, const Shape& s,
                                Device d = Device::cpu());
  // A CPU tensor over memory that `owner` keeps alive (no copy); `data` must hold the shape's
  // elements, contiguous and row-major, aligned for the dtype.
  static Tensor from_borrowed(void* data, const Shape& s, DType t, std::shared_ptr<void> owner);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  int64_t dim() const { return static_cast<int64_t>(shape().size()); }
  int64_t size(int64_t d) const;  // negative d counts from the end
  int64_t numel() const;
  DType dtype() const;
  Device device() const;

  // The storage pointer on the tensor's device: for kernels. The host may dereference it only
  // when device().is_host(); other code reads through item(), to_vector() or to_host().
  template <class T>
  T* data() {
    check_dtype(DTypeOf<T>::value);
    return static_cast<T*>(raw_data());
  }
  template <class T>
  const T* data() const {
    check_dtype(DTypeOf<T>::value);
    return static_cast<const T*>(raw_data());
  }
  void* raw_data() const;

  // Explicit host access: each copies through the backend (one synchronisation).
  float item() const;                          // one-element F32 tensor
  std::vector<float> to_vector() const;        // F32, or BF16/F16 widened to f32
  std::vector<int64_t> to_vector_i64() const;  // I64 or I32

  // This tensor on device d: itself when already there, else a copy with no grad history.
  Tensor to(Device d) const;
  Tensor to_host() const { return to(Device::cpu()); }
  // Moves a leaf's storage (and its grad) to device d in place, so every handle to this tensor
  // (a module's member and its parameter list) sees the move. Used by Module::to.
  void move_to_(Device d);

  // requires_grad() is true for leaves marked so and for outputs of ops recorded with grad on.
  bool requires_grad() const;
  Tensor& set_requires_grad(bool on);  // leaves only
  bool is_leaf() const;
  Tensor grad() const;  // undefined until backward() wrote it
  void set_grad(const Tensor& g);
  // Sets grad to undefined, so the next backward() writes it fresh and its memory returns to the
  // caching allocator between steps.
  void zero_grad();
  void backward();                        // scalar only; accumulates (+=) into leaves' grad
  void backward(const Tensor& grad_out);  // any shape
  Tensor detach() const;                  // shares storage, no grad history
  Tensor clone() const;                   // new storage, no grad history
  // The values converted to a floating dtype (round to nearest even), with autograd: the
  // gradient is converted back. Returns *this when the dtype already matches. See ops::to_dtype.
  Tensor to(DType t) const;
  void copy_(const Tensor& src);  // in-place, no autograd; same numel and dtype; any devices
  void fill_(float v);
  std::string to_string() const;

  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }
  const std::shared_ptr<autograd::Node>& grad_fn() const;
  bool same_storage(const Tensor& o) const;

 private:
  void check_dtype(DType t) const;
  void read_to_host(void* host_dst, int64_t bytes) const;
  std::shared_ptr<TensorImpl> impl_;
};

// Disables recording of backward nodes on this thread while alive.
struct NoGradGuard {
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool prev_;
};
bool grad_enabled();

}  // namespace fg
