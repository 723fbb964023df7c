#pragma once
// Environment: the public entry point of the template engine. Holds the loader, options,
// globals, filters/tests and the cache of compiled templates (each template parsed once).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/jinja/ast.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/limits.h"
#include "config/jinja/value.h"

namespace fg::config::jinja {

// A template's source as the loader hands it over: already preprocessed by the config layer so
// one source line == one original line.
struct TemplateSource {
  std::string text;        // Jinja source
  std::string filename;    // original file, for errors ("" for in-memory)
  int64_t first_line = 1;  // line of `text`'s first line in `filename`
};

class Loader {
 public:
  virtual ~Loader() = default;
  virtual std::optional<TemplateSource> load(const std::string& name) = 0;  // nullopt = not found
  virtual std::vector<std::string> search_path() const = 0;  // for "not found" messages
  // Search directories left out because they do not exist: named in "not found" messages.
  virtual std::vector<std::string> missing_paths() const { return {}; }
  // Why `name` is refused without a search (absolute, `..`, outside the search path), or "".
  virtual std::string refusal(const std::string& /*name*/) const { return ""; }
};

// A loader over an in-memory table (tests, render_string, programmatic templates).
class DictLoader : public Loader {
 public:
  DictLoader() = default;
  explicit DictLoader(std::unordered_map<std::string, std::string> templates);
  void add(const std::string& name, TemplateSource src) { table_[name] = std::move(src); }
  std::optional<TemplateSource> load(const std::string& name) override;
  std::vector<std::string> search_path() const override { return {}; }

 private:
  std::unordered_map<std::string, TemplateSource> table_;
};

struct EnvironmentOptions {
  bool trim_blocks = true;
  bool lstrip_blocks = false;
  bool keep_trailing_newline = false;
  bool strict_undefined = true;        // only strict is supported; false is rejected
  Limits limits = Limits::from_env();  // limits.h; FORGATHER_MAX_* environment variables
};

struct CompiledTemplate {
  std::string name;
  TemplateSource source;
  TemplateAst ast;
  // SourceLocation of `line` (1-based within source.text).
  SourceLocation location(int64_t line) const;
};

class Environment {
 public:
  explicit Environment(std::shared_ptr<Loader> loader, EnvironmentOptions opts = {});
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  void add_global(const std::string& name, Value v);
  void add_filter(const std::string& name, FilterFn fn) {
    builtins_.add_filter(name, std::move(fn));
  }
  std::string render(const std::string& template_name, const ValueMap& vars);
  std::string render_string(const std::string& text, const std::string& name, const ValueMap& vars);

  struct TemplateRecord {
    std::string name;
    TemplateSource source;
  };
  struct TemplateEdge {
    std::string from, to, kind;  // kind: "extends" | "include" | "import"
  };
  const std::vector<TemplateRecord>& compiled_templates() const { return records_; }
  const std::vector<TemplateEdge>& template_edges() const { return edges_; }

  // Engine internals used by the evaluator.
  std::shared_ptr<const CompiledTemplate> get_template(const std::string& name);
  std::shared_ptr<const CompiledTemplate> compile(const std::string& name, TemplateSource src);
  const Builtins& builtins() const { return builtins_; }
  const ValueMap& globals() const { return globals_; }
  const EnvironmentOptions& options() const { return opts_; }
  void add_edge(const std::string& from, const std::string& to, const std::string& kind);

 private:
  std::shared_ptr<Loader> loader_;
  EnvironmentOptions opts_;
  Builtins builtins_;
  ValueMap globals_;
  std::unordered_map<std::string, std::shared_ptr<const CompiledTemplate>> cache_;
  std::vector<TemplateRecord> records_;
  std::vector<TemplateEdge> edges_;
};

// Registers the Forgather globals of spec §3.7 (paths, times, platform dirs, range, dict, ...).
void register_globals(Environment& env);

}  // namespace fg::config::jinja
