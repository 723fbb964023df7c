#include "config/jinja/methods.h"

#include <algorithm>
#include <cctype>

#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/pyformat.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {
constexpr const char* kWhitespace = " \t\n\r\f\v";

Value bound(const std::string& name, NativeFn fn) {
  return Value::function(name, std::move(fn));
}

}  // namespace

std::vector<std::string> py_split(const std::string& s, const Value& sep, int64_t maxsplit) {
  std::vector<std::string> out;
  if (sep.is_none() || sep.is_undefined()) {
    size_t i = s.find_first_not_of(kWhitespace);
    while (i != std::string::npos) {
      if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) {
        std::string rest = s.substr(i);
        rest.erase(rest.find_last_not_of(kWhitespace) + 1);
        out.push_back(rest);
        break;
      }
      size_t j = s.find_first_of(kWhitespace, i);
      out.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
      i = j == std::string::npos ? j : s.find_first_not_of(kWhitespace, j);
    }
    return out;
  }
  const std::string& d = sep.as_string();
  if (d.empty()) throw TemplateError("empty separator");
  size_t pos = 0;
  while (maxsplit < 0 || static_cast<int64_t>(out.size()) < maxsplit) {
    size_t p = s.find(d, pos);
    if (p == std::string::npos) break;
    out.push_back(s.substr(pos, p - pos));
    pos = p + d.size();
  }
  out.push_back(s.substr(pos));
  return out;
}

std::string py_strip(const std::string& s, const Value& chars, bool left, bool right) {
  std::string set = (chars.is_none() || chars.is_undefined()) ? kWhitespace : chars.as_string();
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && set.find(s[b]) != std::string::npos) ++b;
  }
  if (right) {
    while (e > b && set.find(s[e - 1]) != std::string::npos) --e;
  }
  return s.substr(b, e - b);
}

Value list_method(const Value& self, const std::string& name) {
  bool is_list = self.kind() == Kind::List;
  if (name == "count")
    return bound(name, [self](Args& a) {
      int64_t n = 0;
      for (const auto& v : self.items()) n += values_equal(v, arg(a, 0, "x"));
      return Value(n);
    });
  if (name == "index")
    return bound(name, [self](Args& a) {
      const auto& items = self.items();
      for (size_t i = 0; i < items.size(); ++i)
        if (values_equal(items[i], arg(a, 0, "x"))) return Value(static_cast<int64_t>(i));
      throw TemplateError(arg(a, 0, "x").repr() + " is not in list");
    });
  if (!is_list) return Value();
  if (name == "append")
    return bound(name, [self](Args& a) {
      self.items().push_back(arg(a, 0, "x"));
      return Value::none();
    });
  if (name == "extend")
    return bound(name, [self](Args& a) {
      for (auto& v : iterate(arg(a, 0, "x"))) self.items().push_back(v);
      return Value::none();
    });
  if (name == "insert")
    return bound(name, [self](Args& a) {
      auto& items = self.items();
      int64_t n = static_cast<int64_t>(items.size()), i = arg(a, 0, "i").as_int();
      if (i < 0) i = std::max<int64_t>(0, i + n);
      i = std::min(i, n);
      items.insert(items.begin() + i, arg(a, 1, "x"));
      return Value::none();
    });
  if (name == "pop")
    return bound(name, [self](Args& a) {
      auto& items = self.items();
      if (items.empty()) throw TemplateError("pop from empty list");
      int64_t n = static_cast<int64_t>(items.size()), i = arg(a, 0, "i", Value(-1)).as_int();
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw TemplateError("pop index out of range");
      Value v = items[static_cast<size_t>(i)];
      items.erase(items.begin() + i);
      return v;
    });
  if (name == "remove")
    return bound(name, [self](Args& a) {
      auto& items = self.items();
      for (size_t i = 0; i < items.size(); ++i)
        if (values_equal(items[i], arg(a, 0, "x"))) {
          items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
          return Value::none();
        }
      throw TemplateError("list.remove(x): x not in list");
    });
  if (name == "copy") return bound(name, [self](Args&) { return Value::list(self.items()); });
  if (name == "clear")
    return bound(name, [self](Args&) {
      self.items().clear();
      return Value::none();
    });
  if (name == "reverse")
    return bound(name, [self](Args&) {
      std::reverse(self.items().begin(), self.items().end());
      return Value::none();
    });
  if (name == "sort")
    return bound(name, [self](Args& a) {
      bool rev = arg(a, 99, "reverse", Value(false)).truthy();
      std::stable_sort(self.items().begin(), self.items().end(),
                       [](const Value& x, const Value& y) { return values_less(x, y); });
      if (rev) std::reverse(self.items().begin(), self.items().end());
      return Value::none();
    });
  return Value();
}

Value dict_method(const Value& self, const std::string& name) {
  if (name == "items")
    return bound(name, [self](Args&) {
      std::vector<Value> out;
      for (const auto& [k, v] : self.map()) out.push_back(Value::tuple({k, v}));
      return Value::list(std::move(out));
    });
  if (name == "keys" || name == "values")
    return bound(name, [self, name](Args&) {
      std::vector<Value> out;
      for (const auto& [k, v] : self.map()) out.push_back(name == "keys" ? k : v);
      return Value::list(std::move(out));
    });
  if (name == "get")
    return bound(name, [self](Args& a) {
      const Value* v = self.map().find(arg(a, 0, "key"));
      return v ? *v : arg(a, 1, "default", Value::none());
    });
  if (name == "update")
    return bound(name, [self](Args& a) {
      if (!a.pos.empty()) {
        const Value& o = a.pos[0];
        if (o.is_mapping()) {
          for (const auto& [k, v] : o.map()) self.map().set(k, v);
        } else {
          for (const auto& kv : iterate(o)) {
            auto pair = iterate(kv);
            if (pair.size() != 2)
              throw TemplateError("dictionary update sequence element has wrong length");
            self.map().set(pair[0], pair[1]);
          }
        }
      }
      for (const auto& [k, v] : a.kw) self.map().set(k, v);
      return Value::none();
    });
  if (name == "pop")
    return bound(name, [self](Args& a) {
      Value key = arg(a, 0, "key");
      const Value* v = self.map().find(key);
      if (!v) {
        if (a.pos.size() > 1) return a.pos[1];
        throw TemplateError(key.repr());
      }
      Value out = *v;
      self.map().erase(key);
      return out;
    });
  if (name == "setdefault")
    return bound(name, [self](Args& a) {
      Value key = arg(a, 0, "key");
      const Value* v = self.map().find(key);
      if (v) return *v;
      Value d = arg(a, 1, "default", Value::none());
      self.map().set(key, d);
      return d;
    });
  if (name == "copy") return bound(name, [self](Args&) { return Value::dict(self.map()); });
  if (name == "clear")
    return bound(name, [self](Args&) {
      self.map().clear();
      return Value::none();
    });
  return Value();
}

}  // namespace fg::config::jinja
