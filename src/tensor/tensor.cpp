#include "tensor/tensor.h"

#include <fmt/format.h>

#include <algorithm>

#include "autograd/node.h"
#include "core/check.h"
#include "kernels/backend.h"
#include "tensor/memory_limit.h"
#include "tensor/ops.h"

namespace fg {

Storage::Storage(kernels::Backend& b, size_t nbytes) : bytes(nbytes), backend(&b) {
  data = backend->allocate(nbytes);
}
Storage::Storage(kernels::Backend& b, void* lent, size_t nbytes, std::shared_ptr<void> lender)
    : data(lent), bytes(nbytes), backend(&b), owner(std::move(lender)) {}
Storage::~Storage() {
  if (!owner) backend->deallocate(data, bytes);
}

namespace {

void check_defined(const std::shared_ptr<TensorImpl>& impl, const char* what) {
  FG_CHECK(impl != nullptr, "[Tensor] {} called on an undefined tensor", what);
}

std::shared_ptr<TensorImpl> make_impl(const Shape& s, DType t, Device d) {
  for (int64_t e : s)
    FG_CHECK_SHAPE(e >= 0, "[Tensor] shape {} has a negative extent", shape_str(s));
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = s;
  impl->numel = shape_numel(s);
  impl->dtype = t;
  impl->device = d;
  int64_t bytes = 0;
  FG_CHECK_SHAPE(!__builtin_mul_overflow(impl->numel, static_cast<int64_t>(dtype_size(t)), &bytes),
                 "[Tensor] shape {} of {} needs more bytes than int64 can count (overflow)",
                 shape_str(s), dtype_name(t));
  kernels::Backend& backend = backend_for(d);
  auto what = [&] { return fmt::format("[Tensor] shape {} of {}", shape_str(s), dtype_name(t)); };
  if (bytes >= kMemoryCheckThreshold)  // small ones skip the check's cost
    check_tensor_memory(bytes, backend.allocator_stats().bytes_in_use, what());
  try {
    impl->storage = std::make_shared<Storage>(backend, static_cast<size_t>(bytes));
  } catch (const std::bad_alloc&) {
    throw Error(what() + " needs " + format_bytes(bytes) +
                "; the allocation failed (out of memory)");
  }
  return impl;
}

}  // namespace

Tensor Tensor::empty(const Shape& s, DType t, Device d) {
  return Tensor(make_impl(s, t, d));
}

Tensor Tensor::from_borrowed(void* data, const Shape& s, DType t, std::shared_ptr<void> owner) {
  FG_CHECK(owner != nullptr, "[Tensor::from_borrowed] needs the owner of the memory");
  FG_CHECK(reinterpret_cast<uintptr_t>(data) % dtype_size(t) == 0,
           "[Tensor::from_borrowed] data is not aligned for {}", dtype_name(t));
  auto impl = std::make_shared<TensorImpl>();
  for (int64_t e : s)
    FG_CHECK_SHAPE(e >= 0, "[Tensor] shape {} has a negative extent", shape_str(s));
  impl->shape = s;
  impl->numel = shape_numel(s);
  impl->dtype = t;
  impl->device = Device::cpu();
  const size_t bytes = static_cast<size_t>(impl->numel) * dtype_size(t);
  impl->storage =
      std::make_shared<Storage>(backend_for(impl->device), data, bytes, std::move(owner));
  return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& s, DType t, Device d) {
  Tensor out = empty(s, t, d);
  // All-zero bits are 0 for every dtype; fill as floats to use the parallel kernel, and clear
  // the last 2-byte element of an odd-length bf16/f16 tensor on its own.
  const int64_t bytes = out.numel() * dtype_size(t);
  kernels::Backend& backend = backend_for(d);
  backend.fill(static_cast<float*>(out.raw_data()), bytes / 4, 0.f);
  if (bytes % 4 != 0) {
    static const uint16_t zero = 0;
    backend.copy(&zero, static_cast<char*>(out.raw_data()) + bytes - 2, 2);
  }
  return out;
}

Tensor Tensor::ones(const Shape& s, DType t, Device d) {
  FG_CHECK(t == DType::F32, "[Tensor::ones] only f32 is supported, got {}", dtype_name(t));
  return full(s, 1.f, d);
}

Tensor Tensor::full(const Shape& s, float value, Device d) {
  Tensor out = empty(s, DType::F32, d);
  out.fill_(value);
  return out;
}

Tensor Tensor::from_vector(const std::vector<float>& v, const Shape& s, Device d) {
  FG_CHECK_SHAPE(static_cast<int64_t>(v.size()) == shape_numel(s),
                 "[Tensor::from_vector] {} values do not fill shape {} ({} elements)", v.size(),
                 shape_str(s), shape_numel(s));
  Tensor out = empty(s, DType::F32, d);
  backend_for(d).copy_from_host(v.data(), out.raw_data(), out.numel() * 4);
  return out;
}

Tensor Tensor::from_vector_i64(const std::vector<int64_t>& v, const Shape& s, Device d) {
  FG_CHECK_SHAPE(static_cast<int64_t>(v.size()) == shape_numel(s),
                 "[Tensor::from_vector_i64] {} values do not fill shape {} ({} elements)", v.size(),
                 shape_str(s), shape_numel(s));
  Tensor out = empty(s, DType::I64, d);
  backend_for(d).copy_from_host(v.data(), out.raw_data(), out.numel() * 8);
  return out;
}

const Shape& Tensor::shape() const {
  check_defined(impl_, "shape()");
  return impl_->shape;
}

int64_t Tensor::size(int64_t d) const {
  return shape()[normalize_dim(d, dim(), "Tensor::size")];
}

int64_t Tensor::numel() const {
  check_defined(impl_, "numel()");
  return impl_->numel;
}

DType Tensor::dtype() const {
  check_defined(impl_, "dtype()");
  return impl_->dtype;
}

Device Tensor::device() const {
  check_defined(impl_, "device()");
  return impl_->device;
}

void* Tensor::raw_data() const {
  check_defined(impl_, "data()");
  return static_cast<char*>(impl_->storage->data) + impl_->offset * dtype_size(impl_->dtype);
}

void Tensor::check_dtype(DType t) const {
  check_defined(impl_, "data()");
  FG_CHECK(impl_->dtype == t, "[Tensor::data] requested {} but the tensor is {}", dtype_name(t),
           dtype_name(impl_->dtype));
}

void Tensor::read_to_host(void* host_dst, int64_t bytes) const {
  impl_->storage->backend->copy_to_host(raw_data(), host_dst, bytes);  // the memory's owner
}

float Tensor::item() const {
  FG_CHECK_SHAPE(numel() == 1, "[Tensor::item] expected one element, got shape {}",
                 shape_str(shape()));
  check_dtype(DType::F32);
  float v = 0.f;
  read_to_host(&v, sizeof v);
  return v;
}

std::vector<float> Tensor::to_vector() const {
  std::vector<float> out(static_cast<size_t>(numel()));
  if (dtype() == DType::BF16 || dtype() == DType::F16) {
    const Tensor host = to_host();
    backend_for(Device::cpu()).convert(host.raw_data(), dtype(), out.data(), DType::F32, numel());
    return out;
  }
  check_dtype(DType::F32);
  read_to_host(out.data(), numel() * 4);
  return out;
}

std::vector<int64_t> Tensor::to_vector_i64() const {
  if (dtype() == DType::I32) {
    std::vector<int32_t> narrow(static_cast<size_t>(numel()));
    read_to_host(narrow.data(), numel() * 4);
    return std::vector<int64_t>(narrow.begin(), narrow.end());
  }
  check_dtype(DType::I64);
  std::vector<int64_t> out(static_cast<size_t>(numel()));
  read_to_host(out.data(), numel() * 8);
  return out;
}

Tensor Tensor::to(Device d) const {
  check_defined(impl_, "to()");
  if (d == device()) return *this;
  Tensor out = empty(shape(), dtype(), d);
  out.copy_(*this);
  return out;
}

void Tensor::move_to_(Device d) {
  check_defined(impl_, "move_to_()");
  FG_CHECK(impl_->grad_fn == nullptr,
           "[Tensor::move_to_] only leaf tensors move in place; this one is the output of {}",
           impl_->grad_fn ? impl_->grad_fn->name() : "");
  if (d == device()) return;
  Tensor moved = to(d);
  Tensor grad = impl_->grad ? Tensor(impl_->grad).to(d) : Tensor();
  impl_->storage = moved.impl_->storage;
  impl_->offset = 0;
  impl_->device = d;
  impl_->grad = grad.impl_;
}

bool Tensor::requires_grad() const {
  return impl_ && (impl_->requires_grad || impl_->grad_fn != nullptr);
}

Tensor& Tensor::set_requires_grad(bool on) {
  check_defined(impl_, "set_requires_grad()");
  FG_CHECK(impl_->grad_fn == nullptr,
           "[Tensor::set_requires_grad] only leaf tensors can be marked; this one is the output "
           "of {}",
           impl_->grad_fn ? impl_->grad_fn->name() : "");
  FG_CHECK(!on || is_floating(impl_->dtype),
           "[Tensor::set_requires_grad] only floating-point tensors can require grad, got {}",
           dtype_name(impl_->dtype));
  impl_->requires_grad = on;
  return *this;
}

bool Tensor::is_leaf() const {
  return impl_ && impl_->grad_fn == nullptr;
}

Tensor Tensor::grad() const {
  check_defined(impl_, "grad()");
  return Tensor(impl_->grad);
}

void Tensor::set_grad(const Tensor& g) {
  check_defined(impl_, "set_grad()");
  FG_CHECK_SHAPE(!g.defined() || g.shape() == shape(),
                 "[Tensor::set_grad] grad shape {} does not match tensor shape {}",
                 shape_str(g.shape()), shape_str(shape()));
  impl_->grad = g.impl();
}

void Tensor::zero_grad() {
  check_defined(impl_, "zero_grad()");
  impl_->grad.reset();
}

void Tensor::backward() {
  FG_CHECK_SHAPE(numel() == 1,
                 "[backward] implicit gradient needs a one-element tensor, got shape {}",
                 shape_str(shape()));
  autograd::run_backward(*this, Tensor::full(shape(), 1.f, device()));
}

void Tensor::backward(const Tensor& grad_out) {
  autograd::run_backward(*this, grad_out);
}

Tensor Tensor::detach() const {
  check_defined(impl_, "detach()");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = impl_->storage;
  impl->offset = impl_->offset;
  impl->shape = impl_->shape;
  impl->numel = impl_->numel;
  impl->dtype = impl_->dtype;
  impl->device = impl_->device;
  return Tensor(impl);
}

Tensor Tensor::to(DType t) const {
  return ops::to_dtype(*this, t);
}

Tensor Tensor::clone() const {
  Tensor out = empty(shape(), dtype(), device());
  out.copy_(*this);
  return out;
}

void Tensor::copy_(const Tensor& src) {
  check_defined(impl_, "copy_()");
  FG_CHECK_SHAPE(src.numel() == numel() && src.dtype() == dtype(),
                 "[Tensor::copy_] source {} {} does not match destination {} {}",
                 shape_str(src.shape()), dtype_name(src.dtype()), shape_str(shape()),
                 dtype_name(dtype()));
  if (raw_data() == src.raw_data()) return;
  impl_->storage->version++;
  const int64_t bytes = numel() * dtype_size(dtype());
  if (src.device() == device()) {
    backend_for(device()).copy(src.raw_data(), raw_data(), bytes);
  } else if (src.device().is_host()) {
    backend_for(device()).copy_from_host(src.raw_data(), raw_data(), bytes);
  } else if (device().is_host()) {
    src.read_to_host(raw_data(), bytes);
  } else {  // between two devices: through a host buffer
    std::vector<char> staging(static_cast<size_t>(bytes));
    src.read_to_host(staging.data(), bytes);
    backend_for(device()).copy_from_host(staging.data(), raw_data(), bytes);
  }
}

void Tensor::fill_(float v) {
  FG_CHECK(dtype() == DType::F32, "[Tensor::fill_] only f32 tensors can be filled, got {}",
           dtype_name(dtype()));
  impl_->storage->version++;
  backend_for(device()).fill(data<float>(), numel(), v);
}

std::string Tensor::to_string() const {
  if (!impl_) return "Tensor(undefined)";
  std::string s = fmt::format("Tensor(shape={}, dtype={}, device={}, values=[", shape_str(shape()),
                              dtype_name(dtype()), device().to_string());
  int64_t n = std::min<int64_t>(numel(), 8);
  const Tensor host = to_host();
  const std::vector<float> values = is_floating(dtype()) ? host.to_vector() : std::vector<float>();
  for (int64_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    if (is_floating(dtype()))
      s += fmt::format("{:.6g}", values[i]);
    else
      s +=
          std::to_string(dtype() == DType::I32 ? host.data<int32_t>()[i] : host.data<int64_t>()[i]);
  }
  return s + (numel() > n ? ", ...])" : "])");
}

const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const {
  check_defined(impl_, "grad_fn()");
  return impl_->grad_fn;
}

bool Tensor::same_storage(const Tensor& o) const {
  return impl_ && o.impl_ && impl_->storage == o.impl_->storage;
}

}  // namespace fg
