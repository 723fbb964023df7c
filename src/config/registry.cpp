#include "config/registry.h"

#include <algorithm>

#include "core/strings.h"

namespace fg::config {

std::string capability_name(Capability capability) {
  switch (capability) {
    case Capability::kPure:
      return "pure";
    case Capability::kMeta:
      return "a !meta builder (builds raw sub-graphs)";
    case Capability::kFileSystem:
      return "side effects (file system)";
    case Capability::kData:
      return "side effects (datasets)";
    case Capability::kTokenizer:
      return "side effects (tokenizer)";
    case Capability::kTraining:
      return "side effects (training: writes checkpoints and logs)";
    case Capability::kProject:
      return "side effects (loads another project)";
    case Capability::kUnclassified:
      break;
  }
  return "unclassified (assumed to have side effects)";
}

void Registry::add(RegistryEntry entry) {
  auto owned = std::make_unique<RegistryEntry>(std::move(entry));
  std::vector<std::string> names = owned->aliases;
  names.insert(names.begin(), owned->name);
  for (const auto& n : names)
    if (by_name_.count(n))
      throw Error("[Registry] expected a new constructor name, found '" + n + "' registered twice");
  for (const auto& n : names) by_name_[n] = owned.get();
  entries_.push_back(std::move(owned));
}

void Registry::add(const std::string& name, std::vector<std::string> aliases, std::string summary,
                   std::function<Object(CallArgs&)> build, Capability capability) {
  RegistryEntry e;
  e.capability = capability;
  e.name = name;
  e.aliases = std::move(aliases);
  e.summary = std::move(summary);
  e.build = [fn = std::move(build)](CallArgs& a, BuildContext&) { return fn(a); };
  add(std::move(e));
}

bool Registry::contains(const std::string& name) const {
  return by_name_.count(name) > 0;
}

namespace {
// "some/dir/file.py:Sym" -> ".file:Sym" (model files referenced by path).
std::string path_form_to_relative(const std::string& name) {
  const size_t colon = name.rfind(':');
  if (colon == std::string::npos) return "";
  const std::string module = name.substr(0, colon);
  if (!ends_with(module, ".py")) return "";
  const size_t slash = module.find_last_of('/');
  std::string stem = module.substr(slash == std::string::npos ? 0 : slash + 1);
  stem = stem.substr(0, stem.find('.'));
  return "." + stem + name.substr(colon);
}
}  // namespace

const RegistryEntry& Registry::find(const std::string& name, const SourceLocation& where,
                                    const std::string& key_path) const {
  if (auto it = by_name_.find(name); it != by_name_.end()) return *it->second;
  const std::string rel = path_form_to_relative(name);
  if (!rel.empty())
    if (auto it = by_name_.find(rel); it != by_name_.end()) return *it->second;
  const auto names = all_names();
  auto near = near_matches(name, names, 5);
  std::string msg = "[Registry] unknown constructor '" + name + "': expected a registered name";
  msg += near.empty() ? " (no near matches; see `forgather registry` for the catalogue)"
                      : ", nearest: '" + join(near, "', '") + "'";
  throw ConfigError(msg, where, key_path);
}

std::vector<const RegistryEntry*> Registry::entries() const {
  std::vector<const RegistryEntry*> out;
  for (const auto& e : entries_) out.push_back(e.get());
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

std::string refusal(const std::string& constructor, Capability capability, const std::string& why) {
  return "[Registry] refused constructor '" + constructor +
         "' (class: " + capability_name(capability) + "): " + why +
         " only pure constructors (model components and values) may be built";
}

Registry Registry::restricted_to(Capability allowed, const std::string& why) const {
  Registry out;
  for (const auto& e : entries_) {
    RegistryEntry copy = *e;
    if (copy.capability != allowed) {
      copy.build = [name = copy.name, cap = copy.capability, why](
                       CallArgs& a, BuildContext&) -> Object { a.fail(refusal(name, cap, why)); };
      copy.meta = true;  // its arguments stay raw nodes: nothing is built for a refused node
    }
    out.add(std::move(copy));
  }
  return out;
}

std::vector<std::string> Registry::all_names() const {
  std::vector<std::string> out;
  for (const auto& [n, e] : by_name_) out.push_back(n);
  return out;
}

}  // namespace fg::config
