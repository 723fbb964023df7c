#include "config/jinja/environment.h"

#include "config/jinja/evaluator.h"
#include "config/jinja/parser.h"

namespace fg::config::jinja {

DictLoader::DictLoader(std::unordered_map<std::string, std::string> templates) {
  for (auto& [name, text] : templates) table_[name] = TemplateSource{std::move(text), "", 1};
}

std::optional<TemplateSource> DictLoader::load(const std::string& name) {
  auto it = table_.find(name);
  if (it == table_.end()) return std::nullopt;
  return it->second;
}

SourceLocation CompiledTemplate::location(int64_t line) const {
  const std::string& file = source.filename.empty() ? name : source.filename;
  return SourceLocation{file, source.first_line - 1 + line, 0};
}

Environment::Environment(std::shared_ptr<Loader> loader, EnvironmentOptions opts)
    : loader_(std::move(loader)), opts_(opts) {
  // Forgather renders with StrictUndefined (spec §3.1); the lenient mode is not implemented.
  if (!opts_.strict_undefined)
    throw TemplateError("EnvironmentOptions.strict_undefined=false is not supported");
  register_globals(*this);
}

Environment::~Environment() = default;

void Environment::add_global(const std::string& name, Value v) {
  globals_.set(name, std::move(v));
}

std::shared_ptr<const CompiledTemplate> Environment::compile(const std::string& name,
                                                             TemplateSource src) {
  auto t = std::make_shared<CompiledTemplate>();
  t->name = name;
  t->source = std::move(src);
  LexOptions lo{opts_.trim_blocks, opts_.lstrip_blocks, opts_.keep_trailing_newline,
                opts_.limits.max_template_depth};
  records_.push_back({name, t->source});
  try {
    t->ast = parse_template(t->source.text, lo);
  } catch (const TemplateError& e) {
    throw TemplateError(e.jinja_message(), t->location(std::max<int64_t>(1, e.where().line)));
  } catch (const std::bad_alloc&) {
    throw TemplateError("out of memory while parsing the template", t->location(1));
  }
  return t;
}

std::shared_ptr<const CompiledTemplate> Environment::get_template(const std::string& name) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  std::optional<TemplateSource> src = loader_ ? loader_->load(name) : std::nullopt;
  if (!src) {
    std::string msg = "TemplateNotFound: '" + name + "' not found in search paths: ";
    std::vector<std::string> dirs = loader_ ? loader_->search_path() : std::vector<std::string>{};
    for (size_t i = 0; i < dirs.size(); ++i) msg += (i ? ", '" : "'") + dirs[i] + "'";
    if (dirs.empty()) msg += "(none)";
    const std::vector<std::string> missing =
        loader_ ? loader_->missing_paths() : std::vector<std::string>{};
    for (size_t i = 0; i < missing.size(); ++i)
      msg += (i ? ", '" : "; skipped because they do not exist: '") + missing[i] + "'";
    if (const std::string why = loader_ ? loader_->refusal(name) : ""; !why.empty())
      msg += " (" + why + ")";
    throw TemplateError(msg);
  }
  auto t = compile(name, std::move(*src));
  cache_[name] = t;
  return t;
}

void Environment::add_edge(const std::string& from, const std::string& to,
                           const std::string& kind) {
  for (const auto& e : edges_)
    if (e.from == from && e.to == to && e.kind == kind) return;
  edges_.push_back({from, to, kind});
}

std::string Environment::render(const std::string& template_name, const ValueMap& vars) {
  auto t = get_template(template_name);
  Renderer r(*this);
  return r.render(t, vars);
}

std::string Environment::render_string(const std::string& text, const std::string& name,
                                       const ValueMap& vars) {
  auto t = compile(name, TemplateSource{text, "", 1});
  Renderer r(*this);
  return r.render(t, vars);
}

}  // namespace fg::config::jinja
