// `for` loops: filtering, else, the `loop` object and recursive loops.
#include <optional>

#include "config/jinja/evaluator.h"

namespace fg::config::jinja {

void Renderer::exec_for(const Stmt& st, Scope& s, std::string& out) {
  run_loop(st, iterate(eval(*st.expr, s)), s, out, 1);
}

Value Renderer::make_loop_object(const Stmt& st, Scope& s, const std::vector<Value>& items,
                                 int64_t depth, std::shared_ptr<int64_t> index0) {
  ValueMap m;
  m.set("length", Value(static_cast<int64_t>(items.size())));
  m.set("depth", Value(depth));
  m.set("depth0", Value(depth - 1));
  m.set("cycle", Value::function("cycle", [index0](Args& a) -> Value {
          if (a.pos.empty()) throw TemplateError("no items for cycling given");
          return a.pos[static_cast<size_t>(*index0) % a.pos.size()];
        }));
  auto last = std::make_shared<std::optional<Value>>();
  m.set("changed", Value::function("changed", [last](Args& a) -> Value {
          Value cur = Value::tuple(a.pos);
          if (*last && values_equal(**last, cur)) return Value(false);
          *last = cur;
          return Value(true);
        }));
  if (st.recursive) {
    // `loop(children)` renders the loop body again over `children`, one level deeper.
    const Stmt* stp = &st;
    Scope outer = s;
    m.set("__call__", Value::function("loop", [this, stp, outer, depth](Args& a) mutable {
            DepthGuard guard(*this);
            std::string o;
            run_loop(*stp, iterate(arg(a, 0, "iterable")), outer, o, depth + 1);
            return Value(std::move(o));
          }));
  }
  return Value::object(std::move(m), "jinja2.runtime.LoopContext");
}

void Renderer::run_loop(const Stmt& st, std::vector<Value> items, Scope& s, std::string& out,
                        int64_t depth) {
  if (st.cond) {
    auto frame = new_frame(s.frame);
    Scope probe{frame, s.tmpl, s.ctx, nullptr};
    std::vector<Value> kept;
    for (auto& item : items) {
      budget_.count_iteration();
      assign(*st.target, item, probe);
      if (eval(*st.cond, probe).truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    auto frame = new_frame(s.frame);
    Scope else_scope{frame, s.tmpl, s.ctx, nullptr};
    exec_body(st.else_body, else_scope, out);
    return;
  }
  auto index0 = std::make_shared<int64_t>(0);
  const int64_t n = static_cast<int64_t>(items.size());
  Value loop = make_loop_object(st, s, items, depth, index0);
  ValueMap& lm = loop.map();
  for (int64_t i = 0; i < n; ++i) {
    budget_.count_iteration();
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
    auto frame = new_frame(s.frame);
    Scope iter{frame, s.tmpl, s.ctx, nullptr};
    frame->vars["loop"] = loop;
    assign(*st.target, items[static_cast<size_t>(i)], iter);
    exec_body(st.body, iter, out);
  }
}

}  // namespace fg::config::jinja
