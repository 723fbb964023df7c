#include "config/jinja/methods.h"

#include <algorithm>
#include <cctype>

#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/pyformat.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {
const char* kWhitespace = " \t\n\r\f\v";

std::string arg_str(Args& a, size_t i, const char* name, const char* method) {
  Value v = arg(a, i, name);
  if (!v.is_string())
    throw TemplateError(std::string(method) + "() argument must be str, not " +
                        (v.is_undefined() ? std::string("missing") : v.python_type()));
  return v.as_string();
}

Value bound(const std::string& name, NativeFn fn) {
  return Value::function(name, std::move(fn));
}

std::string title_case(const std::string& s, bool only_first) {
  std::vector<uint32_t> cps = utf8::decode(s);
  bool prev_cased = false;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (only_first) {
      cps[i] = i == 0 ? utf8::to_upper(cps[i]) : utf8::to_lower(cps[i]);
      continue;
    }
    cps[i] = prev_cased ? utf8::to_lower(cps[i]) : utf8::to_upper(cps[i]);
    prev_cased = utf8::is_alpha(cps[i]);
  }
  return utf8::encode(cps);
}

template <typename Pred>
bool all_chars(const std::string& s, Pred p) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return p(static_cast<unsigned char>(c)); });
}

std::string pad(const std::string& s, int64_t width, const std::string& fill, char align) {
  int64_t n = length(Value(s));
  if (width <= n) return s;
  int64_t total = width - n, left = 0;
  if (align == '^')
    left = total / 2 + (total & width & 1);
  else if (align == '>')
    left = total;
  std::string out;
  for (int64_t i = 0; i < left; ++i) out += fill;
  out += s;
  for (int64_t i = 0; i < total - left; ++i) out += fill;
  return out;
}

int64_t count_occurrences(const std::string& s, const std::string& sub) {
  if (sub.empty()) return static_cast<int64_t>(s.size()) + 1;
  int64_t n = 0;
  for (size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size())) ++n;
  return n;
}

bool affix_match(const std::string& s, const Value& affix, bool prefix) {
  auto one = [&](const std::string& a) {
    if (a.size() > s.size()) return false;
    return prefix ? s.compare(0, a.size(), a) == 0
                  : s.compare(s.size() - a.size(), a.size(), a) == 0;
  };
  if (affix.kind() == Kind::Tuple) {
    for (const auto& v : affix.items())
      if (v.is_string() && one(v.as_string())) return true;
    return false;
  }
  if (!affix.is_string())
    throw TemplateError(std::string(prefix ? "startswith" : "endswith") +
                        " first arg must be str or a tuple of str, not " + affix.python_type());
  return one(affix.as_string());
}

std::string replace_all(const std::string& s, const std::string& from, const std::string& to,
                        int64_t count) {
  if (from.empty()) return s;
  std::string out;
  size_t pos = 0;
  for (int64_t n = 0; count < 0 || n < count; ++n) {
    size_t p = s.find(from, pos);
    if (p == std::string::npos) break;
    out += s.substr(pos, p - pos) + to;
    pos = p + from.size();
  }
  return out + s.substr(pos);
}

Value list_of_strings(const std::vector<std::string>& parts) {
  std::vector<Value> items;
  for (const auto& p : parts) items.emplace_back(p);
  return Value::list(std::move(items));
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

Value string_method(const Value& self, const std::string& name) {
  const std::string s = self.as_string();
  if (name == "format") return bound(name, [s](Args& a) { return Value(str_format(s, a)); });
  if (name == "split" || name == "rsplit")
    return bound(name, [s](Args& a) {
      Value m = arg(a, 1, "maxsplit", Value(-1));
      return list_of_strings(py_split(s, arg(a, 0, "sep", Value::none()), m.as_int()));
    });
  if (name == "splitlines")
    return bound(name, [s](Args&) {
      std::vector<std::string> lines = py_split(s, Value("\n"), -1);
      if (!lines.empty() && lines.back().empty()) lines.pop_back();
      return list_of_strings(lines);
    });
  if (name == "join")
    return bound(name, [s](Args& a) {
      std::string out;
      bool first = true;
      int64_t index = 0;
      for (const auto& v : iterate(arg(a, 0, "iterable"))) {
        if (!v.is_string())
          throw TemplateError("sequence item " + std::to_string(index) +
                              ": expected str instance, " + v.python_type() + " found");
        ++index;
        if (!first) out += s;
        first = false;
        out += v.as_string();
      }
      return Value(out);
    });
  if (name == "strip" || name == "lstrip" || name == "rstrip")
    return bound(name, [s, name](Args& a) {
      return Value(
          py_strip(s, arg(a, 0, "chars", Value::none()), name != "rstrip", name != "lstrip"));
    });
  if (name == "lower") return bound(name, [s](Args&) { return Value(utf8::lower(s)); });
  if (name == "upper") return bound(name, [s](Args&) { return Value(utf8::upper(s)); });
  if (name == "title") return bound(name, [s](Args&) { return Value(title_case(s, false)); });
  if (name == "capitalize") return bound(name, [s](Args&) { return Value(title_case(s, true)); });
  if (name == "replace")
    return bound(name, [s](Args& a) {
      return Value(replace_all(s, arg_str(a, 0, "old", "replace"), arg_str(a, 1, "new", "replace"),
                               arg(a, 2, "count", Value(-1)).as_int()));
    });
  if (name == "startswith" || name == "endswith")
    return bound(name, [s, name](Args& a) {
      return Value(affix_match(s, arg(a, 0, "prefix"), name == "startswith"));
    });
  if (name == "find" || name == "rfind" || name == "index" || name == "rindex")
    return bound(name, [s, name](Args& a) {
      std::string sub = arg_str(a, 0, "sub", name.c_str());
      size_t p = name[0] == 'r' ? s.rfind(sub) : s.find(sub);
      if (p == std::string::npos) {
        if (name.find("index") != std::string::npos) throw TemplateError("substring not found");
        return Value(-1);
      }
      return Value(static_cast<int64_t>(p));
    });
  if (name == "count")
    return bound(name,
                 [s](Args& a) { return Value(count_occurrences(s, arg_str(a, 0, "x", "count"))); });
  if (name == "center" || name == "ljust" || name == "rjust")
    return bound(name, [s, name](Args& a) {
      std::string fill = arg(a, 1, "fillchar", Value(" ")).as_string();
      char align = name == "center" ? '^' : name == "ljust" ? '<' : '>';
      if (name == "center") {
        // str.center puts the extra pad on the left when the width is odd (CPython quirk).
        int64_t n = length(Value(s)), w = arg(a, 0, "width").as_int();
        if (w <= n) return Value(s);
        int64_t total = w - n, left = total / 2 + (total & w & 1);
        std::string out;
        for (int64_t i = 0; i < left; ++i) out += fill;
        out += s;
        for (int64_t i = 0; i < total - left; ++i) out += fill;
        return Value(out);
      }
      return Value(pad(s, arg(a, 0, "width").as_int(), fill, align));
    });
  if (name == "zfill")
    return bound(name, [s](Args& a) {
      int64_t w = arg(a, 0, "width").as_int();
      std::string body = s, sign;
      if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
        sign = body.substr(0, 1);
        body = body.substr(1);
      }
      int64_t n = static_cast<int64_t>(s.size());
      return Value(w <= n ? s : sign + std::string(static_cast<size_t>(w - n), '0') + body);
    });
  if (name == "isdigit" || name == "isnumeric" || name == "isdecimal")
    return bound(name, [s](Args&) { return Value(all_chars(s, ::isdigit)); });
  if (name == "isalpha") return bound(name, [s](Args&) { return Value(all_chars(s, ::isalpha)); });
  if (name == "isalnum") return bound(name, [s](Args&) { return Value(all_chars(s, ::isalnum)); });
  if (name == "isspace") return bound(name, [s](Args&) { return Value(all_chars(s, ::isspace)); });
  if (name == "islower")
    return bound(name, [s](Args&) {
      return Value(std::any_of(s.begin(), s.end(), ::islower) &&
                   !std::any_of(s.begin(), s.end(), ::isupper));
    });
  if (name == "isupper")
    return bound(name, [s](Args&) {
      return Value(std::any_of(s.begin(), s.end(), ::isupper) &&
                   !std::any_of(s.begin(), s.end(), ::islower));
    });
  if (name == "partition" || name == "rpartition")
    return bound(name, [s, name](Args& a) {
      std::string sep = arg_str(a, 0, "sep", name.c_str());
      size_t p = name[0] == 'r' ? s.rfind(sep) : s.find(sep);
      if (p == std::string::npos)
        return name[0] == 'r' ? Value::tuple({Value(""), Value(""), Value(s)})
                              : Value::tuple({Value(s), Value(""), Value("")});
      return Value::tuple({Value(s.substr(0, p)), Value(sep), Value(s.substr(p + sep.size()))});
    });
  if (name == "removeprefix" || name == "removesuffix")
    return bound(name, [s, name](Args& a) {
      std::string x = arg_str(a, 0, "x", name.c_str());
      if (name == "removeprefix") return Value(s.rfind(x, 0) == 0 ? s.substr(x.size()) : s);
      bool ends = s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
      return Value(ends && !x.empty() ? s.substr(0, s.size() - x.size()) : s);
    });
  return Value();
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
