// Template composition (extends, include, import) and macros / call blocks.
#include <algorithm>

#include "config/jinja/evaluator.h"

namespace fg::config::jinja {

void Renderer::push_chain(const std::string& name, const char* kind) {
  if (std::find(chain_.begin(), chain_.end(), name) != chain_.end()) {
    std::string msg = std::string("circular ") + kind + " detected: ";
    for (const auto& n : chain_) msg += "'" + n + "' -> ";
    throw TemplateError(msg + "'" + name + "'");
  }
  chain_.push_back(name);
}

std::shared_ptr<const CompiledTemplate> Renderer::load(const Value& name, Scope& s,
                                                       const char* kind, bool ignore_missing) {
  std::vector<Value> names;
  if (name.is_sequence()) {
    names = name.items();
  } else {
    names.push_back(name);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (!names[i].is_string()) {
      names[i].require_defined();
      throw TemplateError("template name must be a string, got " + names[i].python_type());
    }
    try {
      auto t = env_.get_template(names[i].as_string());
      env_.add_edge(s.tmpl->name, t->name, kind);
      return t;
    } catch (const TemplateError& e) {
      bool not_found = e.jinja_message().rfind("TemplateNotFound", 0) == 0;
      if (!not_found) throw;
      if (i + 1 < names.size()) continue;
      if (ignore_missing) return nullptr;
      throw;
    }
  }
  if (ignore_missing) return nullptr;
  throw TemplateError("TemplateNotFound: no templates given");
}

void Renderer::exec_extends(const Stmt& st, Scope& s) {
  if (s.parent) throw TemplateError("extended multiple times");
  auto t = load(eval(*st.expr, s), s, "extends", false);
  if (std::find(chain_.begin(), chain_.end(), t->name) != chain_.end()) {
    push_chain(t->name, "extends");  // throws
  }
  register_blocks(s.ctx, t);
  s.parent = t;
}

void Renderer::exec_include(const Stmt& st, Scope& s, std::string& out) {
  auto t = load(eval(*st.expr, s), s, "include", st.ignore_missing);
  if (!t) return;
  auto ctx = new_context();
  ctx->root = new_frame(st.with_context ? s.frame : globals_);
  register_blocks(ctx, t);
  push_chain(t->name, "include");
  render_template(t, ctx, out);
  chain_.pop_back();
}

Value Renderer::import_module(const Stmt& st, Scope& s) {
  auto t = load(eval(*st.expr, s), s, "import", false);
  auto ctx = new_context();
  ctx->root = new_frame(st.with_context ? s.frame : globals_);
  register_blocks(ctx, t);
  push_chain(t->name, "import");
  std::string discard;
  render_template(t, ctx, discard);
  chain_.pop_back();
  ValueMap m;
  for (const auto& name : ctx->exported) m.set(name, ctx->root->vars[name]);
  m.set("__name__", Value(t->name));
  return Value::object(std::move(m), "jinja2.environment.TemplateModule");
}

void Renderer::exec_import(const Stmt& st, Scope& s) {
  Value module = import_module(st, s);
  if (st.kind == StmtKind::Import) {
    set_var(st.text, module, s);
    return;
  }
  const std::string& tname = module.map().find("__name__")->as_string();
  for (const auto& [name, alias] : st.names) {
    const Value* v = module.map().find(name);
    if (v) {
      set_var(alias, *v, s);
    } else {
      set_var(alias,
              Value::undefined("the template '" + tname + "' (imported on line " +
                               std::to_string(st.line) + " in '" + s.tmpl->name +
                               "') does not export the requested name '" + name + "'"),
              s);
    }
  }
}

namespace {
// Binds call arguments to a macro's parameters in `f`; defaults are evaluated by `eval_default`.
template <typename EvalDefault>
void bind_macro_args(const Stmt& st, const std::string& name, Args& a, Frame& f,
                     EvalDefault eval_default) {
  const size_t np = st.params.size();
  if (a.pos.size() > np && !st.uses_varargs)
    throw TemplateError("macro '" + name + "' takes not more than " + std::to_string(np) +
                        " argument(s)");
  std::vector<bool> bound(np, false);
  for (size_t i = 0; i < np && i < a.pos.size(); ++i) {
    f.vars[st.params[i]] = a.pos[i];
    bound[i] = true;
  }
  std::vector<Value> varargs;
  for (size_t i = np; i < a.pos.size(); ++i) varargs.push_back(a.pos[i]);
  ValueMap kwargs;
  bool has_caller = false;
  for (auto& [k, v] : a.kw) {
    auto it = std::find(st.params.begin(), st.params.end(), k);
    if (it != st.params.end()) {
      size_t i = static_cast<size_t>(it - st.params.begin());
      if (bound[i])
        throw TemplateError("macro '" + name + "' got multiple values for argument '" + k + "'");
      f.vars[k] = v;
      bound[i] = true;
    } else if (k == "caller") {
      f.vars["caller"] = v;
      has_caller = true;
    } else if (st.uses_kwargs) {
      kwargs.set(k, v);
    } else {
      throw TemplateError("macro '" + name + "' takes no keyword argument '" + k + "'");
    }
  }
  for (size_t i = 0; i < np; ++i) {
    if (bound[i]) continue;
    f.vars[st.params[i]] =
        st.defaults[i] ? eval_default(*st.defaults[i])
                       : Value::undefined("parameter '" + st.params[i] + "' was not provided");
  }
  f.vars["varargs"] = Value::tuple(std::move(varargs));
  f.vars["kwargs"] = Value::dict(std::move(kwargs));
  if (!has_caller && st.uses_caller) f.vars["caller"] = Value::undefined("No caller defined");
}
}  // namespace

Value Renderer::make_macro(const Stmt& st, Scope& s, const std::string& name) {
  const Stmt* stp = &st;
  FramePtr defining = s.frame;
  const CompiledTemplate* tmpl = s.tmpl;
  ContextPtr ctx = s.ctx;
  return Value::macro(name, [this, stp, defining, tmpl, ctx, name](Args& a) -> Value {
    DepthGuard guard(*this);
    budget_.count_iteration();
    auto f = new_frame(defining);
    Scope sc{f, tmpl, ctx, nullptr};
    bind_macro_args(*stp, name, a, *f, [&](const Expr& e) { return eval(e, sc); });
    std::string out;
    exec_body(stp->body, sc, out);
    return Value(std::move(out));
  });
}

void Renderer::exec_call_block(const Stmt& st, Scope& s, std::string& out) {
  Value caller = make_macro(st, s, "caller");
  const Expr& call = *st.expr;
  Value fn = eval(*call.a, s);
  Args args = eval_args(call, s);
  args.kw.emplace_back("caller", caller);
  emit(out, call_value(fn, args).str());
}

}  // namespace fg::config::jinja
