#include "nn/module.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "core/check.h"
#include "core/strings.h"

namespace fg::nn {

std::string shape_str(const Shape& s) {
  std::vector<std::string> parts;
  for (int64_t d : s) parts.push_back(std::to_string(d));
  return "[" + join(parts, ",") + "]";
}

AttentionCache& KVCache::layer(int64_t i) {
  FG_CHECK(i >= 0 && i < num_layers(), "[KVCache] layer index {} out of range for {} layers", i,
           num_layers());
  return layers_[static_cast<size_t>(i)];
}

void KVCache::clear() {
  for (auto& l : layers_) l = AttentionCache{};
  length_ = 0;
}

Tensor Module::forward(const Tensor&, const ForwardContext&) {
  throw Error(fmt::format("[{}] this module has no single-tensor forward()", type_name_));
}

void Module::check_new_name(const std::string& name) const {
  FG_CHECK(!name.empty() && name.find('.') == std::string::npos,
           "[{}] a parameter/module name must be non-empty without '.', got '{}'", type_name_,
           name);
  auto taken = [&](const auto& v) {
    for (const auto& [n, _] : v)
      if (n == name) return true;
    return false;
  };
  FG_CHECK(!taken(params_) && !taken(buffers_) && !taken(children_),
           "[{}] the name '{}' is already registered", type_name_, name);
}

Tensor Module::register_parameter(const std::string& name, Tensor t, bool trainable) {
  check_new_name(name);
  FG_CHECK(t.defined(), "[{}] parameter '{}' is undefined", type_name_, name);
  t.set_requires_grad(trainable);
  params_.emplace_back(name, t);
  return t;
}

Tensor Module::register_buffer(const std::string& name, Tensor t) {
  check_new_name(name);
  buffers_.emplace_back(name, t);
  return t;
}

void Module::add_child(const std::string& name, std::unique_ptr<Module> m) {
  check_new_name(name);
  FG_CHECK(m != nullptr, "[{}] submodule '{}' is null", type_name_, name);
  m->train(training_);
  children_.emplace_back(name, std::move(m));
}

void Module::collect(const std::string& prefix, bool params, bool buffers,
                     std::vector<NamedTensor>& out) const {
  if (params)
    for (const auto& [n, t] : params_) out.emplace_back(prefix + n, t);
  if (buffers)
    for (const auto& [n, t] : buffers_) out.emplace_back(prefix + n, t);
  for (const auto& [n, c] : children_) c->collect(prefix + n + ".", params, buffers, out);
}

std::vector<NamedTensor> Module::named_parameters() const {
  std::vector<NamedTensor> out;
  collect("", true, false, out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [_, t] : named_parameters()) out.push_back(t);
  return out;
}

std::vector<Tensor> Module::trainable_parameters() const {
  std::vector<Tensor> out;
  for (auto& [_, t] : named_parameters())
    if (t.requires_grad()) out.push_back(t);
  return out;
}

std::vector<NamedTensor> Module::named_buffers() const {
  std::vector<NamedTensor> out;
  collect("", false, true, out);
  return out;
}

StateDict Module::state_dict() const {
  // PyTorch order: per module, its parameters then its buffers, then the children.
  StateDict out;
  collect("", true, true, out);
  return out;
}

std::vector<std::pair<std::string, Module*>> Module::named_modules() {
  std::vector<std::pair<std::string, Module*>> out{{"", this}};
  for (auto& [n, c] : children_)
    for (auto& [sub, m] : c->named_modules()) out.emplace_back(sub.empty() ? n : n + "." + sub, m);
  return out;
}

std::vector<std::pair<std::string, const Module*>> Module::named_modules() const {
  std::vector<std::pair<std::string, const Module*>> out;
  for (auto& [n, m] : const_cast<Module*>(this)->named_modules()) out.emplace_back(n, m);
  return out;
}

Module* Module::find_module(const std::string& dotted_path) {
  for (auto& [n, m] : named_modules())
    if (n == dotted_path) return m;
  return nullptr;
}

int64_t Module::num_parameters(bool trainable_only) const {
  int64_t n = 0;
  for (auto& [_, t] : named_parameters())
    if (!trainable_only || t.requires_grad()) n += t.numel();
  return n;
}

void Module::load_state_dict(const StateDict& state, const LoadOptions& options) {
  std::unordered_map<std::string, const Tensor*> incoming;
  std::vector<std::string> unexpected;
  for (const auto& [name, t] : state) {
    if (!options.prefix.empty() && !starts_with(name, options.prefix)) {
      unexpected.push_back(name);
      continue;
    }
    incoming[name.substr(options.prefix.size())] = &t;
  }
  NoGradGuard no_grad;
  std::vector<std::string> ours, missing;
  std::unordered_set<std::string> used;
  for (auto& [name, dst] : state_dict()) {
    ours.push_back(name);
    auto it = incoming.find(name);
    if (it == incoming.end()) {
      missing.push_back(name);
      continue;
    }
    const Tensor& src = *it->second;
    FG_CHECK(src.shape() == dst.shape(), "[{}] load_state_dict: '{}' expects shape {}, found {}",
             type_name_, name, shape_str(dst.shape()), shape_str(src.shape()));
    FG_CHECK(src.dtype() == dst.dtype(), "[{}] load_state_dict: '{}' has the wrong dtype",
             type_name_, name);
    dst.copy_(src);
    used.insert(name);
  }
  for (const auto& [name, _] : incoming)
    if (!used.count(name)) unexpected.push_back(options.prefix + name);
  if (!options.strict) return;
  if (!missing.empty())
    throw Error(
        fmt::format("[{}] load_state_dict: missing keys: {}", type_name_, join(missing, ", ")));
  if (!unexpected.empty())
    throw Error(fmt::format("[{}] load_state_dict: unexpected key '{}'{}", type_name_,
                            unexpected.front(), did_you_mean(unexpected.front(), ours)));
}

void Module::to(Device d) {
  for (auto& [name, t] : params_) t.move_to_(d);
  for (auto& [name, t] : buffers_) t.move_to_(d);
  for (auto& [name, child] : children_) child->to(d);
}

Device Module::device() const {
  const StateDict state = state_dict();
  return state.empty() ? Device::cpu() : state.front().second.device();
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [_, c] : children_) c->train(on);
}

void Module::zero_grad() {
  for (auto& [_, t] : named_parameters()) t.zero_grad();
}

static std::string with_commas(int64_t n) {
  std::string s = std::to_string(n), out;
  int64_t count = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (count > 0 && count % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++count;
  }
  return out;
}

void Module::describe_into(const std::string& name, int depth, std::string& out) const {
  out += std::string(static_cast<size_t>(depth) * 2, ' ');
  if (!name.empty()) out += name + ": ";
  out += type_name_ + "(" + extra_repr() + ")";
  out += fmt::format("  {} params\n", with_commas(num_parameters()));
  for (const auto& [n, c] : children_) c->describe_into(n, depth + 1, out);
}

std::string Module::describe() const {
  std::string out;
  describe_into("", 0, out);
  out += fmt::format("Total parameters: {}, Trainable: {}\n", with_commas(num_parameters()),
                     with_commas(num_parameters(true)));
  return out;
}

}  // namespace fg::nn
