// Expression evaluation.
#include "config/jinja/evaluator.h"

namespace fg::config::jinja {

namespace {

bool compare(const std::string& op, const Value& l, const Value& r) {
  if (op == "==") return values_equal(l, r);
  if (op == "!=") return !values_equal(l, r);
  if (op == "<") return values_less(l, r);
  if (op == ">") return values_less(r, l);
  if (op == "<=") return values_less(l, r) || values_equal(l, r);
  if (op == ">=") return values_less(r, l) || values_equal(l, r);
  if (op == "in") return contains(r, l);
  return !contains(r, l);  // notin
}

Value negate(const Value& v) {
  v.require_defined();
  if (v.is_float()) return Value(-v.as_double());
  if (v.is_number()) {
    if (v.as_int() == INT64_MIN)
      throw TemplateError("integer overflow in -(" + std::to_string(v.as_int()) +
                          "): the result does not fit in 64 bits");
    return Value(-v.as_int());
  }
  throw TemplateError("bad operand type for unary -: '" + v.python_type() + "'");
}

}  // namespace

Args Renderer::eval_args(const Expr& call, Scope& s) {
  Args a;
  for (const auto& e : call.args) a.pos.push_back(eval(*e, s));
  if (call.b) {
    for (auto& v : iterate(eval(*call.b, s))) a.pos.push_back(std::move(v));
  }
  for (const auto& [k, e] : call.kwargs) a.kw.emplace_back(k, eval(*e, s));
  if (call.c) {
    Value d = eval(*call.c, s);
    if (!d.is_mapping()) throw TemplateError("argument after ** must be a mapping");
    for (const auto& [k, v] : d.map()) a.kw.emplace_back(k.str(), v);
  }
  return a;
}

Value Renderer::apply_filter(const Expr& f, const Value& input, Scope& s) {
  Value v = input;
  if (f.a) v = f.a->kind == ExprKind::Filter ? apply_filter(*f.a, input, s) : eval(*f.a, s);
  Args args = eval_args(f, s);
  return env_.builtins().filter(f.name, v, args);
}

// List, tuple and dict displays.
Value Renderer::eval_display(const Expr& e, Scope& s) {
  if (e.kind == ExprKind::Dict) {
    ValueMap m;
    for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
      Value k = eval(*e.args[i], s);
      k.require_defined();
      m.set(k, eval(*e.args[i + 1], s));
    }
    return Value::dict(std::move(m));
  }
  std::vector<Value> items;
  items.reserve(e.args.size());
  for (const auto& a : e.args) items.push_back(eval(*a, s));
  return e.kind == ExprKind::List ? Value::list(std::move(items)) : Value::tuple(std::move(items));
}

Value Renderer::eval_unary(const Expr& e, Scope& s) {
  Value v = eval(*e.a, s);
  if (e.name == "not") return Value(!v.truthy());
  if (e.name == "-") return negate(v);
  v.require_defined();
  return v;
}

// Chained comparison: a < b < c is (a < b) and (b < c), evaluating b once.
Value Renderer::eval_compare(const Expr& e, Scope& s) {
  Value l = eval(*e.a, s);
  for (size_t i = 0; i < e.ops.size(); ++i) {
    Value r = eval(*e.args[i], s);
    if (!compare(e.ops[i], l, r)) return Value(false);
    l = std::move(r);
  }
  return Value(true);
}

Value Renderer::eval(const Expr& e, Scope& s) {
  if (e.kind == ExprKind::Literal) return e.value;
  if (e.kind == ExprKind::Name) {
    const Value* v = s.frame->lookup(e.name);
    return v ? *v : Value::undefined("'" + e.name + "' is undefined");
  }
  DepthGuard guard(*this);
  switch (e.kind) {
    case ExprKind::Literal:
    case ExprKind::Name:
      return Value();
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Dict:
      return eval_display(e, s);
    case ExprKind::Unary:
      return eval_unary(e, s);
    case ExprKind::Binary: {
      Value l = eval(*e.a, s);
      if (e.name == "and") return l.truthy() ? eval(*e.b, s) : l;
      if (e.name == "or") return l.truthy() ? l : eval(*e.b, s);
      return binary_op(e.name, l, eval(*e.b, s));
    }
    case ExprKind::Compare:
      return eval_compare(e, s);
    case ExprKind::Cond:
      if (eval(*e.b, s).truthy()) return eval(*e.a, s);
      if (e.c) return eval(*e.c, s);
      return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                              " evaluated to false and no else section was defined.");
    case ExprKind::GetAttr:
      return get_attr(eval(*e.a, s), e.name);
    case ExprKind::GetItem:
      return get_item(eval(*e.a, s), eval(*e.b, s));
    case ExprKind::Slice: {
      Value obj = eval(*e.a, s);
      Value parts[3];
      for (int i = 0; i < 3; ++i) parts[i] = e.args[i] ? eval(*e.args[i], s) : Value::none();
      return slice(obj, parts[0], parts[1], parts[2]);
    }
    case ExprKind::Call: {
      Value fn = eval(*e.a, s);
      Args args = eval_args(e, s);
      return call_value(fn, args);
    }
    case ExprKind::Filter:
      return apply_filter(e, Value(), s);
    case ExprKind::Test: {
      Value v = eval(*e.a, s);
      Args args = eval_args(e, s);
      return Value(env_.builtins().test(e.name, v, args));
    }
  }
  return Value();
}

}  // namespace fg::config::jinja
