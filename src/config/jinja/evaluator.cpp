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

Renderer::Renderer(Environment& env)
    : env_(env), budget_(env.options().limits), globals_(std::make_shared<Frame>()) {
  for (const auto& [k, v] : env.globals()) globals_->vars[k.str()] = v;
}

Renderer::~Renderer() {
  for (auto& w : frames_)
    if (FramePtr f = w.lock()) {
      f->vars.clear();
      f->parent.reset();
    }
  for (auto& w : contexts_)
    if (ContextPtr c = w.lock()) {
      c->root.reset();
      c->blocks.clear();
    }
  globals_->vars.clear();
  try {
    break_cycles(budget_.take_cycle_candidates());
  } catch (...) {  // no memory to look for cycles: they stay until exit, as a leak
  }
}

DepthGuard::DepthGuard(Renderer& r) : budget_(r.budget_) {
  budget_.enter();
}

FramePtr Renderer::new_frame(FramePtr parent) {
  if (frames_.size() >= compact_at_) {
    frames_.erase(std::remove_if(frames_.begin(), frames_.end(),
                                 [](const std::weak_ptr<Frame>& w) { return w.expired(); }),
                  frames_.end());
    compact_at_ = std::max<size_t>(1024, frames_.size() * 2);
  }
  auto f = std::make_shared<Frame>(std::move(parent));
  frames_.push_back(f);
  return f;
}

ContextPtr Renderer::new_context() {
  contexts_.erase(std::remove_if(contexts_.begin(), contexts_.end(),
                                 [](const std::weak_ptr<RenderContext>& w) { return w.expired(); }),
                  contexts_.end());
  auto c = std::make_shared<RenderContext>();
  contexts_.push_back(c);
  return c;
}

void Renderer::emit(std::string& out, const std::string& text) {
  const int64_t max = budget_.limits().max_render_bytes;
  emitted_ = size_add(emitted_, static_cast<int64_t>(text.size()));
  if (emitted_ > max)
    throw TemplateError("output limit exceeded: the render writes more than " + format_bytes(max) +
                        " (macro, call, filter and set-block output counts each time it is "
                        "written; " +
                        LimitNames::kRenderBytes + ")");
  out += text;
}

std::string Renderer::render(std::shared_ptr<const CompiledTemplate> t, const ValueMap& vars) {
  ActiveBudget active(&budget_);
  auto ctx = new_context();
  auto passed = new_frame(globals_);
  for (const auto& [k, v] : vars) passed->vars[k.str()] = v;
  ctx->root = new_frame(passed);
  register_blocks(ctx, t);
  std::string out;
  chain_.push_back(t->name);
  render_template(t, ctx, out);
  chain_.pop_back();
  return out;
}

void Renderer::render_template(std::shared_ptr<const CompiledTemplate> t, ContextPtr ctx,
                               std::string& out) {
  // An extends chain recurses here, one level per parent: past the limit, the error names the
  // template that was one too many.
  std::optional<DepthGuard> guard;
  try {
    guard.emplace(*this);
  } catch (const TemplateError& e) {
    relocate(e, *t, 1);
  }
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
    DepthGuard guard(*this);
    exec_inner(st, s, out);
  } catch (const TemplateError& e) {
    if (e.located()) throw;
    relocate(e, *s.tmpl, st.line);
  } catch (const fg::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    relocate(TemplateError("out of memory while rendering: the machine has less memory free than "
                           "the render memory limit (" +
                           std::string(LimitNames::kRenderMemory) + ") allows"),
             *s.tmpl, st.line);
  } catch (const std::length_error&) {
    relocate(TemplateError("a string or list would be longer than this machine supports (" +
                           std::string(LimitNames::kRenderMemory) + ")"),
             *s.tmpl, st.line);
  } catch (const std::exception& e) {
    relocate(TemplateError(e.what()), *s.tmpl, st.line);
  }
}

void Renderer::exec_inner(const Stmt& st, Scope& s, std::string& out) {
  switch (st.kind) {
    case StmtKind::Output:
      emit(out, st.text);
      break;
    case StmtKind::Print:
      emit(out, eval(*st.expr, s).str());
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
    ns->account_growth();
    note_cycle_candidate(*ns, v);
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
  auto frame = new_frame(parent);
  frame->vars["super"] = Value::function("super", [this, name, level, parent, ctx](Args&) {
    Scope sc{parent, nullptr, ctx, nullptr};
    std::string o;
    render_block(name, level + 1, parent, sc, o);
    return Value(std::move(o));
  });
  Scope inner{frame, ref.tmpl.get(), ctx, nullptr};
  exec_body(ref.stmt->body, inner, out);
}

void Renderer::register_blocks(const ContextPtr& ctx,
                               const std::shared_ptr<const CompiledTemplate>& t) {
  const Value* self = ctx->root->vars.count("self") ? &ctx->root->vars["self"] : nullptr;
  if (!self) {
    ctx->root->vars["self"] = Value::object(ValueMap{}, "jinja2.runtime.TemplateReference");
    self = &ctx->root->vars["self"];
  }
  std::weak_ptr<RenderContext> weak = ctx;
  for (const auto& [name, st] : t->ast.blocks) {
    ctx->blocks[name].push_back({st, t});
    if (self->map().find(name)) continue;
    std::string n = name;
    // `self.name()` renders the most derived version of block `name`.
    self->map().set(n, Value::function(n, [this, weak, n](Args&) {
                      ContextPtr c = weak.lock();
                      if (!c) throw TemplateError("template context is gone");
                      Scope sc{c->root, nullptr, c, nullptr};
                      std::string o;
                      render_block(n, 0, c->root, sc, o);
                      return Value(std::move(o));
                    }));
  }
}

void Renderer::exec_filter_block(const Stmt& st, Scope& s, std::string& out) {
  auto frame = new_frame(s.frame);
  Scope inner{frame, s.tmpl, s.ctx, nullptr};
  std::string body;
  exec_body(st.body, inner, body);
  emit(out, apply_filter(*st.filter, Value(std::move(body)), s).str());
}

void Renderer::exec_with(const Stmt& st, Scope& s, std::string& out) {
  std::vector<Value> values;
  for (const auto& v : st.values) values.push_back(eval(*v, s));
  auto frame = new_frame(s.frame);
  Scope inner{frame, s.tmpl, s.ctx, nullptr};
  for (size_t i = 0; i < values.size(); ++i) assign(*st.targets[i], values[i], inner);
  exec_body(st.body, inner, out);
}

}  // namespace fg::config::jinja
