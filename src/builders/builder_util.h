#pragma once
// Small helpers shared by the builder families: registration with argument docs, and turning a
// component's own validation error into a ConfigError that names the config node.
#include <string>
#include <utility>
#include <vector>

#include "config/registry.h"
#include "core/error.h"

namespace fg::builders {

using Build = std::function<config::Object(config::CallArgs&)>;

// `capability` is required: it decides whether a model directory may name the entry.
inline void add_entry(config::Registry& r, config::Capability capability, std::string name,
                      std::vector<std::string> aliases, std::string summary,
                      std::vector<config::ArgDoc> args, Build build) {
  config::RegistryEntry e;
  e.capability = capability;
  e.name = std::move(name);
  e.aliases = std::move(aliases);
  e.summary = std::move(summary);
  e.args = std::move(args);
  e.build = [build = std::move(build)](config::CallArgs& a, config::BuildContext&) {
    try {
      return build(a);
    } catch (const ConfigError&) {
      throw;
    } catch (const Error& e) {
      a.fail(e.what());  // the component's own check, located at the config node
    }
  };
  r.add(std::move(e));
}

inline float get_float(config::CallArgs& a, const std::string& name, int64_t pos, double dflt) {
  return static_cast<float>(a.get_double(name, pos, dflt));
}

}  // namespace fg::builders
