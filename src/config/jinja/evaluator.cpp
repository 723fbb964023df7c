// Statement execution: output, control flow, assignment and template composition.
#include "config/jinja/evaluator.h"

#include <algorithm>
#include <optional>

namespace fg::config::jinja {

const Value* Frame::lookup(const std::string& name) const {
  for (const Frame* f = this; f; f = f->parent.get()) {
    auto it = f->vars.find(name);
    if (it != f->vars.end()) return &it->second;
  }
  return nullptr;
}

void relocate(const TemplateError& e, const CompiledTemplate& t, int64_t line) {
  if (dynamic_cast<const UndefinedError*>(&e))
    throw UndefinedError(e.jinja_message(), t.location(line));
  throw TemplateError(e.jinja_message(), t.location(line));
}

Renderer::Renderer(Environment& env) : env_(env), globals_(std::make_shared<Frame>()) {
  for (const auto& [k, v] : env.globals()) globals_->vars[k.str()] = v;
}

std::string Renderer::render(std::shared_ptr<const CompiledTemplate> t, const ValueMap& vars) {
  auto ctx = std::make_shared<RenderContext>();
  auto passed = std::make_shared<Frame>(globals_);
  for (const auto& [k, v] : vars) passed->vars[k.str()] = v;
  ctx->root = std::make_shared<Frame>(passed);
  for (const auto& [n, st] : t->ast.blocks) ctx->blocks[n].push_back({st, t});
  std::string out;
  chain_.push_back(t->name);
  render_template(t, ctx, out);
  chain_.pop_back();
  return out;
}

void Renderer::render_template(std::shared_ptr<const CompiledTemplate> t, ContextPtr ctx,
                               std::string& out) {
  Scope s{ctx->root, t.get(), ctx, nullptr};
  exec_body(t->ast.body, s, out);
  if (s.parent) {
    chain_.push_back(s.parent->name);
    render_template(s.parent, ctx, out);
    chain_.pop_back();
  }
}

void Renderer::exec_body(const Body& body, Scope& s, std::string& out) {
  for (const auto& st : body) {
    if (s.parent) {
      if (st->kind == StmtKind::Block) continue;
      std::string discard;
      exec(*st, s, discard);
    } else {
      exec(*st, s, out);
    }
  }
}

void Renderer::exec(const Stmt& st, Scope& s, std::string& out) {
  try {
    exec_inner(st, s, out);
  } catch (const TemplateError& e) {
    if (e.located()) throw;
    relocate(e, *s.tmpl, st.line);
  } catch (const fg::Error&) {
    throw;
  } catch (const std::exception& e) {
    relocate(TemplateError(e.what()), *s.tmpl, st.line);
  }
}

void Renderer::exec_inner(const Stmt& st, Scope& s, std::string& out) {
  switch (st.kind) {
    case StmtKind::Output:
      out += st.text;
      break;
    case StmtKind::Print:
      out += eval(*st.expr, s).str();
      break;
    case StmtKind::If:
      exec_if(st, s, out);
      break;
    case StmtKind::For:
      exec_for(st, s, out);
      break;
    case StmtKind::Set:
    case StmtKind::SetBlock:
      exec_set(st, s, out);
      break;
    case StmtKind::Block:
      exec_block(st, s, out);
      break;
    case StmtKind::Extends:
      exec_extends(st, s);
      break;
    case StmtKind::Include:
      exec_include(st, s, out);
      break;
    case StmtKind::Import:
    case StmtKind::FromImport:
      exec_import(st, s);
      break;
    case StmtKind::Macro:
      set_var(st.text, make_macro(st, s, st.text), s);
      break;
    case StmtKind::CallBlock:
      exec_call_block(st, s, out);
      break;
    case StmtKind::FilterBlock:
      exec_filter_block(st, s, out);
      break;
    case StmtKind::With:
      exec_with(st, s, out);
      break;
  }
}

void Renderer::exec_if(const Stmt& st, Scope& s, std::string& out) {
  for (size_t i = 0; i < st.tests.size(); ++i) {
    if (eval(*st.tests[i], s).truthy()) {
      exec_body(st.bodies[i], s, out);
      return;
    }
  }
  exec_body(st.else_body, s, out);
}

void Renderer::exec_for(const Stmt& st, Scope& s, std::string& out) {
  std::vector<Value> items = iterate(eval(*st.expr, s));
  auto frame = std::make_shared<Frame>(s.frame);
  Scope inner{frame, s.tmpl, s.ctx, nullptr};
  if (st.cond) {
    std::vector<Value> kept;
    for (auto& item : items) {
      assign(*st.target, item, inner);
      if (eval(*st.cond, inner).truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    auto ef = std::make_shared<Frame>(s.frame);
    Scope else_scope{ef, s.tmpl, s.ctx, nullptr};
    exec_body(st.else_body, else_scope, out);
    return;
  }
  auto index0 = std::make_shared<int64_t>(0);
  const int64_t n = static_cast<int64_t>(items.size());
  ValueMap m;
  m.set("length", Value(n));
  m.set("depth", Value(1));
  m.set("depth0", Value(0));
  m.set("cycle", Value::function("cycle", [index0](Args& a) -> Value {
          if (a.pos.empty()) throw TemplateError("no items for cycling given");
          return a.pos[static_cast<size_t>(*index0) % a.pos.size()];
        }));
  auto last_changed = std::make_shared<std::optional<Value>>();
  m.set("changed", Value::function("changed", [last_changed](Args& a) -> Value {
          Value cur = Value::tuple(a.pos);
          if (*last_changed && values_equal(**last_changed, cur)) return Value(false);
          *last_changed = cur;
          return Value(true);
        }));
  Value loop = Value::object(std::move(m), "jinja2.runtime.LoopContext");
  ValueMap& lm = loop.map();
  for (int64_t i = 0; i < n; ++i) {
    *index0 = i;
    lm.set("index0", Value(i));
    lm.set("index", Value(i + 1));
    lm.set("revindex", Value(n - i));
    lm.set("revindex0", Value(n - i - 1));
    lm.set("first", Value(i == 0));
    lm.set("last", Value(i == n - 1));
    lm.set("previtem", i > 0 ? items[i - 1] : Value::undefined("there is no previous item"));
    lm.set("nextitem", i + 1 < n ? items[i + 1] : Value::undefined("there is no next item"));
    // Each iteration gets a fresh scope: `set` in the body does not carry to the next one.
    auto iter_frame = std::make_shared<Frame>(s.frame);
    Scope iter{iter_frame, s.tmpl, s.ctx, nullptr};
    iter_frame->vars["loop"] = loop;
    assign(*st.target, items[static_cast<size_t>(i)], iter);
    exec_body(st.body, iter, out);
  }
}

void Renderer::exec_set(const Stmt& st, Scope& s, std::string& out) {
  if (st.kind == StmtKind::Set) {
    assign(*st.target, eval(*st.expr, s), s);
    return;
  }
  std::string body;
  exec_body(st.body, s, body);
  Value v(std::move(body));
  if (st.filter) v = apply_filter(*st.filter, v, s);
  assign(*st.target, v, s);
}

void Renderer::set_var(const std::string& name, const Value& v, Scope& s) {
  s.frame->vars.insert_or_assign(name, v);
  if (s.frame == s.ctx->root && name[0] != '_' &&
      std::find(s.ctx->exported.begin(), s.ctx->exported.end(), name) == s.ctx->exported.end())
    s.ctx->exported.push_back(name);
}

void Renderer::assign(const Expr& target, const Value& v, Scope& s) {
  if (target.kind == ExprKind::Name) {
    set_var(target.name, v, s);
  } else if (target.kind == ExprKind::Tuple) {
    std::vector<Value> items = iterate(v);
    size_t n = target.args.size();
    if (items.size() < n)
      throw TemplateError("not enough values to unpack (expected " + std::to_string(n) + ", got " +
                          std::to_string(items.size()) + ")");
    if (items.size() > n)
      throw TemplateError("too many values to unpack (expected " + std::to_string(n) + ")");
    for (size_t i = 0; i < n; ++i) assign(*target.args[i], items[i], s);
  } else if (target.kind == ExprKind::GetAttr) {
    const Value* ns = s.frame->lookup(target.a->name);
    if (!ns || ns->kind() != Kind::Namespace)
      throw TemplateError("cannot assign attribute on non-namespace object");
    ns->map().set(target.name, v);
  } else {
    throw TemplateError("can't assign to expression");
  }
}

void Renderer::exec_block(const Stmt& st, Scope& s, std::string& out) {
  FramePtr parent = st.scoped ? s.frame : s.ctx->root;
  render_block(st.text, 0, parent, s, out);
}

void Renderer::render_block(const std::string& name, size_t level, const FramePtr& parent, Scope& s,
                            std::string& out) {
  ContextPtr ctx = s.ctx;
  const auto& chain = ctx->blocks[name];
  if (level >= chain.size())
    throw UndefinedError("there is no parent block called '" + name + "'.");
  const BlockRef& ref = chain[level];
  if (ref.stmt->required) throw TemplateError("Required block '" + name + "' not found");
  auto frame = std::make_shared<Frame>(parent);
  frame->vars["super"] = Value::function("super", [this, name, level, parent, ctx](Args&) {
    Scope sc{parent, nullptr, ctx, nullptr};
    std::string o;
    render_block(name, level + 1, parent, sc, o);
    return Value(std::move(o));
  });
  Scope inner{frame, ref.tmpl.get(), ctx, nullptr};
  exec_body(ref.stmt->body, inner, out);
}

void Renderer::exec_filter_block(const Stmt& st, Scope& s, std::string& out) {
  auto frame = std::make_shared<Frame>(s.frame);
  Scope inner{frame, s.tmpl, s.ctx, nullptr};
  std::string body;
  exec_body(st.body, inner, body);
  out += apply_filter(*st.filter, Value(std::move(body)), s).str();
}

void Renderer::exec_with(const Stmt& st, Scope& s, std::string& out) {
  std::vector<Value> values;
  for (const auto& v : st.values) values.push_back(eval(*v, s));
  auto frame = std::make_shared<Frame>(s.frame);
  Scope inner{frame, s.tmpl, s.ctx, nullptr};
  for (size_t i = 0; i < values.size(); ++i) assign(*st.targets[i], values[i], inner);
  exec_body(st.body, inner, out);
}

}  // namespace fg::config::jinja
