// Python list and dict methods reachable from templates (the sandbox allows mutation, as
// jinja2's SandboxedEnvironment does: `l.append(x)`, `d.update(...)`).
#include <algorithm>
#include <unordered_map>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/methods.h"

namespace fg::config::jinja {

namespace {

using Method = BoundMethod;

Value l_count(const Value& self, Args& a) {
  Value x = arg(a, 0, "x");
  int64_t n = 0;
  for (const auto& v : self.items()) n += values_equal(v, x);
  return Value(n);
}
Value l_index(const Value& self, Args& a) {
  Value x = arg(a, 0, "x");
  const auto& items = self.items();
  for (size_t i = 0; i < items.size(); ++i)
    if (values_equal(items[i], x)) return Value(static_cast<int64_t>(i));
  throw TemplateError(x.repr() + " is not in list");
}
// After a list or dict grew: charge the render's memory, and remember it if it may now be
// part of a reference cycle.
void grew(const Value& self, const Value& added) {
  self.account_growth();
  note_cycle_candidate(self, added);
}

Value l_append(const Value& self, Args& a) {
  Value x = arg(a, 0, "x");
  self.items().push_back(x);
  grew(self, x);
  return Value::none();
}
Value l_extend(const Value& self, Args& a) {
  std::vector<Value> more = iterate(arg(a, 0, "x"));
  reserve_memory(size_mul(static_cast<int64_t>(self.items().size() + more.size()), sizeof(Value)),
                 "list.extend()");
  bool containers = false;
  for (auto& v : more) {
    containers = containers || v.identity();
    self.items().push_back(std::move(v));
  }
  grew(self, containers ? self : Value());
  return Value::none();
}
Value l_insert(const Value& self, Args& a) {
  auto& items = self.items();
  Value where = arg(a, 0, "i");
  if (!where.is_int() && !where.is_bool())
    throw TemplateError("'" + where.python_type() + "' object cannot be interpreted as an integer");
  int64_t n = static_cast<int64_t>(items.size()), i = where.as_int();
  if (i < 0) i = std::max<int64_t>(0, i + n);
  Value x = arg(a, 1, "x");
  items.insert(items.begin() + std::min(i, n), x);
  grew(self, x);
  return Value::none();
}
Value l_pop(const Value& self, Args& a) {
  auto& items = self.items();
  if (items.empty()) throw TemplateError("pop from empty list");
  Value where = arg(a, 0, "i", Value(-1));
  if (!where.is_int() && !where.is_bool())
    throw TemplateError("'" + where.python_type() + "' object cannot be interpreted as an integer");
  int64_t n = static_cast<int64_t>(items.size()), i = where.as_int();
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw TemplateError("pop index out of range");
  Value v = items[static_cast<size_t>(i)];
  items.erase(items.begin() + i);
  return v;
}
Value l_remove(const Value& self, Args& a) {
  auto& items = self.items();
  Value x = arg(a, 0, "x");
  auto it =
      std::find_if(items.begin(), items.end(), [&](const Value& v) { return values_equal(v, x); });
  if (it == items.end()) throw TemplateError("list.remove(x): x not in list");
  items.erase(it);
  return Value::none();
}
Value l_copy(const Value& self, Args&) {
  return Value::list(self.items());
}
Value l_clear(const Value& self, Args&) {
  self.items().clear();
  return Value::none();
}
Value l_reverse(const Value& self, Args&) {
  std::reverse(self.items().begin(), self.items().end());
  return Value::none();
}
Value l_sort(const Value& self, Args& a) {
  bool reverse = kwarg(a, "reverse", Value(false)).truthy();
  auto& items = self.items();
  std::stable_sort(items.begin(), items.end(), [reverse](const Value& x, const Value& y) {
    return reverse ? values_less(y, x) : values_less(x, y);
  });
  return Value::none();
}

// dict views print as dict_items([...]) etc.; they iterate like lists.
Value dict_view(const Value& self, const char* type, int which) {
  std::vector<Value> out;
  for (const auto& [k, v] : self.map())
    out.push_back(which == 0 ? Value::tuple({k, v}) : which == 1 ? k : v);
  return make_view(std::move(out), type, "", false);
}
Value d_items(const Value& self, Args&) {
  return dict_view(self, "dict_items", 0);
}
Value d_keys(const Value& self, Args&) {
  return dict_view(self, "dict_keys", 1);
}
Value d_values(const Value& self, Args&) {
  return dict_view(self, "dict_values", 2);
}
Value d_get(const Value& self, Args& a) {
  const Value* v = self.map().find(arg(a, 0, "key"));
  return v ? *v : arg(a, 1, "default", Value::none());
}
Value d_update(const Value& self, Args& a) {
  if (!a.pos.empty()) {
    const Value& o = a.pos[0];
    if (o.is_mapping()) {
      for (const auto& [k, v] : o.map()) self.map().set(k, v);
    } else {
      for (const auto& kv : iterate(o)) {
        auto pair = iterate(kv);
        if (pair.size() != 2)
          throw TemplateError("dictionary update sequence element has length " +
                              std::to_string(pair.size()) + "; 2 is required");
        self.map().set(pair[0], pair[1]);
      }
    }
  }
  for (const auto& [k, v] : a.kw) self.map().set(k, v);
  self.account_growth();
  note_cycle_candidate(self, self);  // cheap: one entry per update() call
  return Value::none();
}
Value d_pop(const Value& self, Args& a) {
  Value key = arg(a, 0, "key");
  const Value* v = self.map().find(key);
  if (!v) {
    if (a.pos.size() > 1) return a.pos[1];
    throw TemplateError(key.repr());
  }
  Value out = *v;
  self.map().erase(key);
  return out;
}
Value d_setdefault(const Value& self, Args& a) {
  Value key = arg(a, 0, "key");
  if (const Value* v = self.map().find(key)) return *v;
  Value d = arg(a, 1, "default", Value::none());
  self.map().set(key, d);
  self.account_growth();
  note_cycle_candidate(self, d);
  note_cycle_candidate(self, key);
  return d;
}
Value d_copy(const Value& self, Args&) {
  return Value::dict(self.map());
}
Value d_clear(const Value& self, Args&) {
  self.map().clear();
  return Value::none();
}

Value bind(const Value& self, const std::string& name,
           const std::unordered_map<std::string, Method>& table) {
  auto it = table.find(name);
  if (it == table.end()) return Value();
  return Value::bound_method(name, self, it->second);
}

}  // namespace

Value list_method(const Value& self, const std::string& name) {
  static const std::unordered_map<std::string, Method> kTuple = {{"count", l_count},
                                                                 {"index", l_index}};
  static const std::unordered_map<std::string, Method> kList = {
      {"count", l_count},   {"index", l_index},     {"append", l_append}, {"extend", l_extend},
      {"insert", l_insert}, {"pop", l_pop},         {"remove", l_remove}, {"copy", l_copy},
      {"clear", l_clear},   {"reverse", l_reverse}, {"sort", l_sort}};
  return bind(self, name, self.kind() == Kind::List ? kList : kTuple);
}

Value dict_method(const Value& self, const std::string& name) {
  static const std::unordered_map<std::string, Method> kDict = {
      {"items", d_items},   {"keys", d_keys}, {"values", d_values},         {"get", d_get},
      {"update", d_update}, {"pop", d_pop},   {"setdefault", d_setdefault}, {"copy", d_copy},
      {"clear", d_clear}};
  return bind(self, name, kDict);
}

}  // namespace fg::config::jinja
