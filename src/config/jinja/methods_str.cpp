// Python str methods reachable from templates, as a table of small functions.
#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/methods.h"
#include "config/jinja/pyformat.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {

using StrMethod = Value (*)(const std::string& s, Args& a);

std::string arg_str(Args& a, size_t i, const char* name, const char* method) {
  Value v = arg(a, i, name);
  if (!v.is_string())
    throw TemplateError(std::string(method) + "() argument must be str, not " +
                        (v.is_undefined() ? std::string("missing") : v.python_type()));
  return v.as_string();
}

Value strings(const std::vector<std::string>& parts) {
  std::vector<Value> items;
  for (const auto& p : parts) items.emplace_back(p);
  return Value::list(std::move(items));
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
Value all_chars(const std::string& s, Pred p) {
  if (s.empty()) return Value(false);
  return Value(std::all_of(s.begin(), s.end(),
                           [&](char c) { return p(static_cast<unsigned char>(c)) != 0; }));
}

// CPython's padding: str.center puts the odd pad character on the left when width is odd.
Value justify(const std::string& s, Args& a, char align) {
  const int64_t width = int_value(arg(a, 0, "width"));
  std::string fill = arg(a, 1, "fillchar", Value(" ")).str();
  if (utf8::length(fill) != 1)
    throw TemplateError("The fill character must be exactly one character long");
  const int64_t n = utf8::length(s);
  if (width <= n) return Value(s);
  const int64_t total = width - n;
  reserve_memory(
      size_add(static_cast<int64_t>(s.size()), size_mul(total, static_cast<int64_t>(fill.size()))),
      "str.center/ljust/rjust()");
  int64_t left = align == '^' ? total / 2 + (total & width & 1) : align == '>' ? total : 0;
  std::string out;
  out.reserve(s.size() + static_cast<size_t>(total) * fill.size());
  for (int64_t i = 0; i < left; ++i) out += fill;
  out += s;
  for (int64_t i = 0; i < total - left; ++i) out += fill;
  return Value(out);
}

bool affix_match(const std::string& s, const Value& affix, bool prefix) {
  auto one = [&](const std::string& x) {
    if (x.size() > s.size()) return false;
    return prefix ? s.compare(0, x.size(), x) == 0
                  : s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  if (affix.kind() == Kind::Tuple) {
    return std::any_of(affix.items().begin(), affix.items().end(),
                       [&](const Value& v) { return v.is_string() && one(v.as_string()); });
  }
  if (!affix.is_string())
    throw TemplateError(std::string(prefix ? "startswith" : "endswith") +
                        " first arg must be str or a tuple of str, not " + affix.python_type());
  return one(affix.as_string());
}

Value m_format(const std::string& s, Args& a) {
  return Value(str_format(s, a));
}
Value m_split(const std::string& s, Args& a) {
  return strings(
      py_split(s, arg(a, 0, "sep", Value::none()), int_value(arg(a, 1, "maxsplit", Value(-1)))));
}
Value m_rsplit(const std::string& s, Args& a) {
  int64_t maxsplit = int_value(arg(a, 1, "maxsplit", Value(-1)));
  if (maxsplit < 0) return m_split(s, a);
  // Split the reversed string and reverse back: splits happen from the right.
  Value sep = arg(a, 0, "sep", Value::none());
  std::string rs(s.rbegin(), s.rend());
  Value rsep =
      sep.is_string() ? Value(std::string(sep.as_string().rbegin(), sep.as_string().rend())) : sep;
  std::vector<std::string> parts = py_split(rs, rsep, maxsplit);
  std::reverse(parts.begin(), parts.end());
  for (auto& p : parts) std::reverse(p.begin(), p.end());
  return strings(parts);
}
Value m_splitlines(const std::string& s, Args&) {
  std::vector<std::string> lines = py_split(s, Value("\n"), -1);
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return strings(lines);
}
Value m_join(const std::string& s, Args& a) {
  const std::vector<Value> items = iterate(arg(a, 0, "iterable"));
  int64_t total = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string())
      throw TemplateError("sequence item " + std::to_string(i) + ": expected str instance, " +
                          items[i].python_type() + " found");
    total = size_add(total, static_cast<int64_t>(items[i].as_string().size() + s.size()));
  }
  reserve_memory(total, "str.join()");
  std::string out;
  out.reserve(static_cast<size_t>(total));
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += s;
    out += items[i].as_string();
  }
  return Value(std::move(out));
}
Value m_strip(const std::string& s, Args& a) {
  return Value(py_strip(s, arg(a, 0, "chars", Value::none()), true, true));
}
Value m_lstrip(const std::string& s, Args& a) {
  return Value(py_strip(s, arg(a, 0, "chars", Value::none()), true, false));
}
Value m_rstrip(const std::string& s, Args& a) {
  return Value(py_strip(s, arg(a, 0, "chars", Value::none()), false, true));
}
Value m_lower(const std::string& s, Args&) {
  return Value(utf8::lower(s));
}
Value m_upper(const std::string& s, Args&) {
  return Value(utf8::upper(s));
}
Value m_title(const std::string& s, Args&) {
  return Value(title_case(s, false));
}
Value m_capitalize(const std::string& s, Args&) {
  return Value(title_case(s, true));
}
Value m_replace(const std::string& s, Args& a) {
  std::string from = arg_str(a, 0, "old", "replace"), to = arg_str(a, 1, "new", "replace");
  int64_t count = int_value(arg(a, 2, "count", Value(-1)));
  if (from.empty()) return Value(s);
  int64_t hits = 0;
  for (size_t p = str_find(s, from); p != std::string::npos && (count < 0 || hits < count);
       p = str_find(s, from, p + from.size()))
    ++hits;
  reserve_memory(
      size_add(static_cast<int64_t>(s.size()), size_mul(hits, static_cast<int64_t>(to.size()))),
      "str.replace()");
  std::string out;
  size_t pos = 0;
  for (int64_t n = 0; n < hits; ++n) {
    size_t p = str_find(s, from, pos);
    if (p == std::string::npos) break;
    out += s.substr(pos, p - pos) + to;
    pos = p + from.size();
  }
  return Value(out + s.substr(pos));
}
Value m_startswith(const std::string& s, Args& a) {
  return Value(affix_match(s, arg(a, 0, "prefix"), true));
}
Value m_endswith(const std::string& s, Args& a) {
  return Value(affix_match(s, arg(a, 0, "suffix"), false));
}
Value find_impl(const std::string& s, Args& a, bool reverse, bool raise) {
  std::string sub = arg_str(a, 0, "sub", reverse ? "rfind" : "find");
  size_t p = reverse ? str_rfind(s, sub) : str_find(s, sub);
  if (p == std::string::npos) {
    if (raise) throw TemplateError("substring not found");
    return Value(-1);
  }
  return Value(static_cast<int64_t>(p));
}
Value m_find(const std::string& s, Args& a) {
  return find_impl(s, a, false, false);
}
Value m_rfind(const std::string& s, Args& a) {
  return find_impl(s, a, true, false);
}
Value m_index(const std::string& s, Args& a) {
  return find_impl(s, a, false, true);
}
Value m_rindex(const std::string& s, Args& a) {
  return find_impl(s, a, true, true);
}
Value m_count(const std::string& s, Args& a) {
  std::string sub = arg_str(a, 0, "x", "count");
  if (sub.empty()) return Value(length(Value(s)) + 1);
  int64_t n = 0;
  for (size_t p = str_find(s, sub); p != std::string::npos; p = str_find(s, sub, p + sub.size()))
    ++n;
  return Value(n);
}
Value m_center(const std::string& s, Args& a) {
  return justify(s, a, '^');
}
Value m_ljust(const std::string& s, Args& a) {
  return justify(s, a, '<');
}
Value m_rjust(const std::string& s, Args& a) {
  return justify(s, a, '>');
}
Value m_zfill(const std::string& s, Args& a) {
  int64_t w = int_value(arg(a, 0, "width")), n = static_cast<int64_t>(s.size());
  if (w <= n) return Value(s);
  reserve_memory(w, "str.zfill()");
  size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return Value(s.substr(0, sign) + std::string(static_cast<size_t>(w - n), '0') + s.substr(sign));
}
Value m_isdigit(const std::string& s, Args&) {
  return all_chars(s, ::isdigit);
}
Value m_isalpha(const std::string& s, Args&) {
  return all_chars(s, ::isalpha);
}
Value m_isalnum(const std::string& s, Args&) {
  return all_chars(s, ::isalnum);
}
Value m_isspace(const std::string& s, Args&) {
  return all_chars(s, ::isspace);
}
Value case_test(const std::string& s, bool upper) {
  bool cased = std::any_of(s.begin(), s.end(), upper ? ::isupper : ::islower);
  bool other = std::any_of(s.begin(), s.end(), upper ? ::islower : ::isupper);
  return Value(cased && !other);
}
Value m_islower(const std::string& s, Args&) {
  return case_test(s, false);
}
Value m_isupper(const std::string& s, Args&) {
  return case_test(s, true);
}
Value partition_impl(const std::string& s, Args& a, bool reverse) {
  std::string sep = arg_str(a, 0, "sep", reverse ? "rpartition" : "partition");
  size_t p = reverse ? str_rfind(s, sep) : str_find(s, sep);
  if (p == std::string::npos)
    return reverse ? Value::tuple({Value(""), Value(""), Value(s)})
                   : Value::tuple({Value(s), Value(""), Value("")});
  return Value::tuple({Value(s.substr(0, p)), Value(sep), Value(s.substr(p + sep.size()))});
}
Value m_partition(const std::string& s, Args& a) {
  return partition_impl(s, a, false);
}
Value m_rpartition(const std::string& s, Args& a) {
  return partition_impl(s, a, true);
}
Value m_removeprefix(const std::string& s, Args& a) {
  std::string x = arg_str(a, 0, "prefix", "removeprefix");
  return Value(s.rfind(x, 0) == 0 ? s.substr(x.size()) : s);
}
Value m_removesuffix(const std::string& s, Args& a) {
  std::string x = arg_str(a, 0, "suffix", "removesuffix");
  bool ends =
      !x.empty() && s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
  return Value(ends ? s.substr(0, s.size() - x.size()) : s);
}

// Each str method bound to its receiver without copying the string.
template <StrMethod M>
Value call_str(const Value& self, Args& a) {
  return M(self.as_string(), a);
}

const std::unordered_map<std::string, BoundMethod>& str_methods() {
  static const std::unordered_map<std::string, BoundMethod> kTable = {
      {"format", call_str<m_format>},
      {"split", call_str<m_split>},
      {"rsplit", call_str<m_rsplit>},
      {"splitlines", call_str<m_splitlines>},
      {"join", call_str<m_join>},
      {"strip", call_str<m_strip>},
      {"lstrip", call_str<m_lstrip>},
      {"rstrip", call_str<m_rstrip>},
      {"lower", call_str<m_lower>},
      {"upper", call_str<m_upper>},
      {"title", call_str<m_title>},
      {"capitalize", call_str<m_capitalize>},
      {"replace", call_str<m_replace>},
      {"startswith", call_str<m_startswith>},
      {"endswith", call_str<m_endswith>},
      {"find", call_str<m_find>},
      {"rfind", call_str<m_rfind>},
      {"index", call_str<m_index>},
      {"rindex", call_str<m_rindex>},
      {"count", call_str<m_count>},
      {"center", call_str<m_center>},
      {"ljust", call_str<m_ljust>},
      {"rjust", call_str<m_rjust>},
      {"zfill", call_str<m_zfill>},
      {"isdigit", call_str<m_isdigit>},
      {"isnumeric", call_str<m_isdigit>},
      {"isdecimal", call_str<m_isdigit>},
      {"isalpha", call_str<m_isalpha>},
      {"isalnum", call_str<m_isalnum>},
      {"isspace", call_str<m_isspace>},
      {"islower", call_str<m_islower>},
      {"isupper", call_str<m_isupper>},
      {"partition", call_str<m_partition>},
      {"rpartition", call_str<m_rpartition>},
      {"removeprefix", call_str<m_removeprefix>},
      {"removesuffix", call_str<m_removesuffix>}};
  return kTable;
}

}  // namespace

Value string_method(const Value& self, const std::string& name) {
  auto it = str_methods().find(name);
  if (it == str_methods().end()) return Value();
  return Value::bound_method(name, self, it->second);
}

}  // namespace fg::config::jinja
