#pragma once
// The compiled-in registry of constructors: config constructor strings ("torch.nn:Linear",
// ".glu_feedforward:GLUFeedforwardLayer", "named_list") -> C++ builder functions. Made in main or
// a test and passed down; nothing in a config can run code that is not registered here.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/call_args.h"
#include "config/object.h"

namespace fg::config {

class Materializer;
struct GraphNode;
using Context = std::map<std::string, Object>;  // !var bindings

// What a builder can reach besides its arguments: the materialiser (for !meta builders, which
// get raw nodes) and the context variables of the current materialisation.
struct BuildContext {
  Materializer* materializer = nullptr;
  const Context* vars = nullptr;
};

using Builder = std::function<Object(CallArgs&, BuildContext&)>;

// What a constructor can do besides returning its value. A graph from an untrusted place (a
// model directory's config.json) may only use kPure entries. An entry that states nothing is
// kUnclassified and treated as having side effects, so a new entry is never loadable by accident.
enum class Capability {
  kUnclassified,  // not stated: assumed to have side effects
  kPure,          // model components and value helpers: no I/O, nothing outside its result
  kMeta,          // receives raw graph nodes and builds sub-graphs itself
  kFileSystem,    // works with paths (reads the working directory, files)
  kData,          // loads, downloads or caches datasets
  kTokenizer,     // loads, trains or saves tokenizers
  kTraining,      // trainers, optimizers, loggers: write checkpoints and logs
  kProject,       // loads another project's templates and config
};

// "pure", "side effects (tokenizer)", ... for messages and the catalogue.
std::string capability_name(Capability capability);
// The message for a constructor refused where only pure ones may be built; `why` names the place.
std::string refusal(const std::string& constructor, Capability capability, const std::string& why);

// One documented argument, for the README's component catalogue (`forgather registry`).
struct ArgDoc {
  std::string name;
  std::string type;           // "int", "float", "module factory", ...
  std::string default_value;  // "" when required
  std::string help;
};

struct RegistryEntry {
  std::string name;                  // canonical name, e.g. "torch.nn:Linear"
  std::vector<std::string> aliases;  // e.g. "forgather.nn:Linear", ".linear:Linear"
  std::string summary;               // one line
  std::vector<ArgDoc> args;
  Builder build;
  bool meta = false;  // receives its arguments unmaterialised (Object components "config.Node")
  Capability capability = Capability::kUnclassified;
};

class Registry {
 public:
  // Adds an entry; a name or alias that is already registered is an error.
  void add(RegistryEntry entry);
  // Convenience: a builder that needs no context.
  void add(const std::string& name, std::vector<std::string> aliases, std::string summary,
           std::function<Object(CallArgs&)> build,
           Capability capability = Capability::kUnclassified);

  bool contains(const std::string& name) const;
  // Exact name or alias; `dir/x.py:Sym` also matches `.x:Sym`. Unknown -> ConfigError listing
  // near matches, with `where`/`key_path` naming the node.
  const RegistryEntry& find(const std::string& name, const SourceLocation& where = {},
                            const std::string& key_path = {}) const;
  std::vector<const RegistryEntry*> entries() const;  // sorted by name
  std::vector<std::string> all_names() const;         // names and aliases

  // A copy whose entries outside `allowed` refuse to build: the ConfigError names the node's
  // constructor and class and says `why` (e.g. "in a model directory's config.json").
  Registry restricted_to(Capability allowed, const std::string& why) const;

 private:
  std::vector<std::unique_ptr<RegistryEntry>> entries_;
  std::map<std::string, const RegistryEntry*> by_name_;
};

// The builtins every config may use (spec §4.9 item 2 and the library templates): items, keys,
// values, getitem, named_list/tuple/dict, call, len, getattr, str/int/float/bool, os.path:join,
// forgather:from_project, forgather.ml.construct:{load_from_config,construct_model} ...
void register_builtins(Registry& registry);
// The same without the ones that load other projects (no template engine needed).
void register_core_builtins(Registry& registry);

}  // namespace fg::config
