#include "builders/module_handle.h"

#include <utility>

namespace fg::builders {

ModuleHandle::ModuleHandle(std::unique_ptr<nn::Module> module, SourceLocation where,
                           std::string key_path)
    : owned_(std::move(module)),
      raw_(owned_.get()),
      where_(std::move(where)),
      key_path_(std::move(key_path)) {}

std::unique_ptr<nn::Module> ModuleHandle::take(const std::string& taker) {
  if (!owned_) {
    throw ConfigError("[ModuleHandle] module " + raw_->type_name() + " is already owned by " +
                          taker_ + "; " + taker +
                          " cannot take it too (shared modules are not supported: use a "
                          "factory (!lambda) to build one per user)",
                      where_, key_path_);
  }
  taker_ = taker;
  return std::move(owned_);
}

config::Object module_object(std::unique_ptr<nn::Module> module, const config::CallArgs& a) {
  auto handle = std::make_shared<ModuleHandle>(std::move(module), a.where(), a.key_path());
  config::Object o = config::Object::component(handle, "nn.Module");
  o.at(a.where(), a.key_path());
  return o;
}

std::unique_ptr<nn::Module> take_module(const config::Object& value, const std::string& what) {
  if (value.type() == config::Object::Type::kCallable) {
    config::CallArgs none({}, {}, value.callable_name(), value.where(), value.key_path());
    return take_module(value.call(none), what);
  }
  return value.as<ModuleHandle>("an nn.Module for " + what)->take(what);
}

nn::ModuleFactory module_factory(const config::Object& value, const std::string& what) {
  if (value.is_none()) return nullptr;
  if (value.type() != config::Object::Type::kCallable)
    value.fail_expected("a module factory (!lambda) for " + what);
  return [value, what]() {
    config::CallArgs none({}, {}, value.callable_name(), value.where(), value.key_path());
    return take_module(value.call(none), what);
  };
}

}  // namespace fg::builders
