// String and number filters (jinja2/filters.py semantics).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/json_dump.h"
#include "config/jinja/methods.h"
#include "config/jinja/pyformat.h"
#include "config/jinja/toyaml.h"
#include "config/jinja/utf8.h"
#include "core/strings.h"

namespace fg::config::jinja {

namespace {

std::string s_of(const Value& v) {
  return v.str();
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t b = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      lines.push_back(s.substr(b, i - b));
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      b = i + 1;
    }
  }
  if (b < s.size()) lines.push_back(s.substr(b));
  return lines;
}

Value do_indent(const Value& v, Args& a) {
  Value w = arg(a, 0, "width", Value(4));
  bool first = arg(a, 1, "first", Value(false)).truthy();
  bool blank = arg(a, 2, "blank", Value(false)).truthy();
  const std::string text = s_of(v);
  const int64_t width = w.is_string() ? static_cast<int64_t>(w.as_string().size())
                                      : std::max<int64_t>(0, w.is_float() ? 0 : int_value(w));
  const int64_t lines_in = 2 + std::count(text.begin(), text.end(), '\n');
  reserve_memory(size_add(static_cast<int64_t>(text.size()), size_mul(lines_in, width)),
                 "indent()");
  std::string ind = w.is_string() ? w.as_string() : std::string(static_cast<size_t>(width), ' ');
  std::vector<std::string> lines = split_lines(text + "\n");
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) rv += (i ? "\n" + ind : "") + lines[i];
  } else {
    rv = lines.empty() ? "" : lines[0];
    for (size_t i = 1; i < lines.size(); ++i) rv += "\n" + (lines[i].empty() ? "" : ind + lines[i]);
  }
  return Value(first ? ind + rv : rv);
}

Value do_title(const Value& v) {
  std::vector<uint32_t> cps = utf8::decode(s_of(v));
  bool word_start = true;
  for (auto& c : cps) {
    bool sep = (c < 0x80 && std::isspace(static_cast<int>(c))) || c == '-' || c == '(' ||
               c == '{' || c == '[' || c == '<';
    if (sep) {
      word_start = true;
    } else {
      c = word_start ? utf8::to_upper(c) : utf8::to_lower(c);
      word_start = false;
    }
  }
  return Value(utf8::encode(cps));
}

bool parse_int(const std::string& s, int64_t base, int64_t& out) {
  std::string t(trim(s));
  std::string digits;
  for (char c : t)
    if (c != '_') digits += c;
  if (digits.empty()) return false;
  size_t idx = 0;
  try {
    int b = static_cast<int>(base);
    if (base == 16 || base == 8 || base == 2) {
      std::string body = digits;
      bool neg = !body.empty() && body[0] == '-';
      if (neg || (!body.empty() && body[0] == '+')) body = body.substr(1);
      if (body.size() > 2 && body[0] == '0' && std::isalpha(static_cast<unsigned char>(body[1])))
        body = body.substr(2);
      out = std::stoll(body, &idx, b);
      if (neg) out = -out;
      return idx == body.size();
    }
    out = std::stoll(digits, &idx, b);
    return idx == digits.size();
  } catch (const std::exception&) {
    return false;
  }
}

bool parse_float(const std::string& s, double& out) {
  std::string t(trim(s));
  if (t.empty()) return false;
  try {
    size_t idx = 0;
    out = std::stod(t, &idx);
    return idx == t.size();
  } catch (const std::exception&) {
    return false;
  }
}

Value do_int(const Value& v, Args& a) {
  Value dflt = arg(a, 0, "default", Value(0));
  int64_t base = int_value(arg(a, 1, "base", Value(10)));
  if (v.is_bool() || v.is_int()) return Value(v.as_int());
  // As jinja2: int(x), else int(float(x)); a NaN is a ValueError there, so the default.
  if (v.is_float()) return std::isnan(v.as_double()) ? dflt : Value(float_to_int(v.as_double()));
  if (v.is_string()) {
    int64_t i = 0;
    if (parse_int(v.as_string(), base, i)) return Value(i);
    double d = 0;
    if (parse_float(v.as_string(), d)) return std::isnan(d) ? dflt : Value(float_to_int(d));
  }
  return dflt;
}

Value do_float(const Value& v, Args& a) {
  Value dflt = arg(a, 0, "default", Value(0.0));
  if (v.is_number()) return Value(v.as_double());
  double d = 0;
  if (v.is_string() && parse_float(v.as_string(), d)) return Value(d);
  return dflt;
}

Value do_round(const Value& v, Args& a) {
  // Beyond +-400 digits every double rounds to itself (or to 0): clamp so 10**prec is finite.
  const int64_t prec = std::clamp<int64_t>(int_value(arg(a, 0, "precision", Value(0))), -400, 400);
  std::string method = arg(a, 1, "method", Value("common")).str();
  double p = std::pow(10.0, static_cast<double>(prec));
  double x = v.as_double();
  if (method == "ceil") return Value(std::ceil(x * p) / p);
  if (method == "floor") return Value(std::floor(x * p) / p);
  if (method != "common") throw TemplateError("method must be 'common', 'ceil' or 'floor'");
  if ((v.is_int() || v.is_bool()) && prec >= 0) return Value(v.as_int());  // round(int) is int
  if (v.is_int() || v.is_bool()) {
    // round(int, -n): nearest multiple of 10**n, ties to even, still an int.
    int64_t m = 1;
    for (int64_t i = 0; i < -prec && m <= INT64_MAX / 10; ++i) m *= 10;
    int64_t q = v.as_int() / m, r = v.as_int() % m;
    if (r < 0) {
      r += m;
      --q;
    }
    if (r > m - r || (r == m - r && q % 2 != 0)) ++q;
    int64_t out = 0;
    if (__builtin_mul_overflow(q, m, &out))
      throw TemplateError("integer overflow in round(" + std::to_string(v.as_int()) + ", " +
                          std::to_string(prec) + "): the result does not fit in 64 bits");
    return Value(out);
  }
  // Python round(): round half to even on the correctly rounded decimal value.
  char buf[800];  // 309 integer digits + 400 decimals
  std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(std::max<int64_t>(prec, 0)), x);
  return Value(prec >= 0 ? std::stod(buf) : std::nearbyint(x * p) / p);
}

Value do_truncate(const Value& v, Args& a) {
  std::string s = s_of(v);
  int64_t len = int_value(arg(a, 0, "length", Value(255)));
  bool killwords = arg(a, 1, "killwords", Value(false)).truthy();
  std::string end = arg(a, 2, "end", Value("...")).str();
  int64_t leeway =
      arg(a, 3, "leeway", Value::none()).is_none() ? 5 : int_value(arg(a, 3, "leeway"));
  if (len < static_cast<int64_t>(end.size()))
    throw TemplateError("expected length >= " + std::to_string(end.size()) + ", got " +
                        std::to_string(len));
  if (leeway < 0) throw TemplateError("expected leeway >= 0, got " + std::to_string(leeway));
  if (static_cast<int64_t>(s.size()) <= size_add(len, leeway)) return v;
  int64_t keep = std::max<int64_t>(0, len - static_cast<int64_t>(end.size()));
  std::string head = s.substr(0, static_cast<size_t>(keep));
  if (killwords) return Value(head + end);
  size_t sp = head.rfind(' ');
  if (sp != std::string::npos) head = head.substr(0, sp);
  return Value(head + end);
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Removes `<!--...-->` comments and `<...>` tags, like jinja2's regex, in one linear pass.
std::string remove_tags(const std::string& in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    if (in.compare(i, 4, "<!--") == 0) {
      const size_t e = in.find("-->", i + 4);
      if (e != std::string::npos) {
        i = e + 3;
        continue;
      }
    }
    if (in[i] == '<') {
      const size_t e = in.find('>', i + 1);
      if (e != std::string::npos) {
        i = e + 1;
        continue;
      }
    }
    out += in[i++];
  }
  return out;
}

Value do_striptags(const Value& v) {
  std::string s = remove_tags(s_of(v));
  std::string out;
  for (const auto& w : py_split(s, Value::none(), -1)) out += (out.empty() ? "" : " ") + w;
  static const std::pair<const char*, const char*> kEntities[] = {{"&amp;", "&"}, {"&lt;", "<"},
                                                                  {"&gt;", ">"},  {"&#34;", "\""},
                                                                  {"&#39;", "'"}, {"&quot;", "\""}};
  for (const auto& [from, to] : kEntities) {
    for (size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + 1))
      out.replace(p, std::string(from).size(), to);
  }
  return Value(out);
}

// Python's \w+ runs; non-ASCII characters count as word characters (letters in practice).
Value do_wordcount(const Value& v) {
  int64_t words = 0;
  bool in_word = false;
  for (unsigned char c : s_of(v)) {
    bool w = c >= 0x80 || std::isalnum(c) || c == '_';
    if (w && !in_word) ++words;
    in_word = w;
  }
  return Value(words);
}

Value do_format(const Value& v, Args& a) {
  if (!a.pos.empty() && !a.kw.empty())
    throw TemplateError("can't handle positional and keyword arguments at the same time");
  if (!a.kw.empty()) {
    ValueMap m;
    for (const auto& [k, x] : a.kw) m.set(k, x);
    return Value(percent_format(s_of(v), Value::dict(std::move(m))));
  }
  return Value(percent_format(s_of(v), Value::tuple(a.pos)));
}

Value do_filesizeformat(const Value& v, Args& a) {
  bool binary = arg(a, 0, "binary", Value(false)).truthy();
  double bytes = 0;
  if (v.is_string()) {
    if (!parse_float(v.as_string(), bytes))
      throw TemplateError("could not convert string to float: " + string_repr(v.as_string()));
  } else if (v.is_number()) {
    bytes = v.as_double();
  } else {
    throw TemplateError("float() argument must be a string or a real number, not '" +
                        v.python_type() + "'");
  }
  double base = binary ? 1024 : 1000;
  static const char* kBinary[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  static const char* kDecimal[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  if (bytes == 1) return Value("1 Byte");
  if (bytes < base) return Value(std::to_string(float_to_int(bytes)) + " Bytes");
  double unit = base;
  const char* prefix = "";
  for (int i = 0; i < 8; ++i) {
    unit = std::pow(base, i + 2);
    prefix = binary ? kBinary[i] : kDecimal[i];
    if (bytes < unit) break;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f %s", base * bytes / unit, prefix);
  return Value(std::string(buf));
}

// urllib.parse.quote(s, safe="/") on UTF-8 bytes (jinja2's url_quote).
std::string url_quote(const std::string& s, bool for_qs) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' || (!for_qs && c == '/')) {
      out += static_cast<char>(c);
    } else if (for_qs && c == ' ') {
      out += '+';
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "%%%02X", c);
      out += b;
    }
  }
  return out;
}

Value do_urlencode(const Value& v) {
  if (v.is_string()) return Value(url_quote(v.as_string(), false));
  std::vector<std::pair<Value, Value>> pairs;
  if (v.is_mapping()) {
    for (const auto& kv : v.map()) pairs.push_back(kv);
  } else {
    for (const auto& item : iterate(v)) {
      auto kv = iterate(item);
      if (kv.size() != 2) throw TemplateError("urlencode: expected key/value pairs");
      pairs.emplace_back(kv[0], kv[1]);
    }
  }
  std::string out;
  for (const auto& [k, x] : pairs)
    out += (out.empty() ? "" : "&") + url_quote(k.str(), true) + "=" + url_quote(x.str(), true);
  return Value(out);
}

}  // namespace

void register_filters(Builtins& b) {
  b.add_filter("filesizeformat",
               [](const Builtins&, const Value& v, Args& a) { return do_filesizeformat(v, a); });
  b.add_filter("urlencode", [](const Builtins&, const Value& v, Args&) { return do_urlencode(v); });
  auto dflt = [](const Builtins&, const Value& v, Args& a) {
    bool boolean = arg(a, 1, "boolean", Value(false)).truthy();
    if (v.is_undefined() || (boolean && !v.truthy())) return arg(a, 0, "default_value", Value(""));
    return v;
  };
  b.add_filter("default", dflt, true);
  b.add_filter("d", dflt, true);
  b.add_filter(
      "toyaml",
      [](const Builtins&, const Value& v, Args& a) {
        if (v.is_undefined()) {
          if (!has_arg(a, 0, "default")) v.require_defined();
          return Value(to_yaml(arg(a, 0, "default")));
        }
        return Value(to_yaml(v));
      },
      true);
  b.add_filter("trim", [](const Builtins&, const Value& v, Args& a) {
    return Value(py_strip(s_of(v), arg(a, 0, "chars", Value::none()), true, true));
  });
  b.add_filter("indent", [](const Builtins&, const Value& v, Args& a) { return do_indent(v, a); });
  auto len = [](const Builtins&, const Value& v, Args&) { return Value(length(v)); };
  b.add_filter("length", len);
  b.add_filter("count", len);
  b.add_filter("upper",
               [](const Builtins&, const Value& v, Args&) { return Value(utf8::upper(s_of(v))); });
  b.add_filter("lower",
               [](const Builtins&, const Value& v, Args&) { return Value(utf8::lower(s_of(v))); });
  b.add_filter("title", [](const Builtins&, const Value& v, Args&) { return do_title(v); });
  b.add_filter("capitalize", [](const Builtins&, const Value& v, Args&) {
    Args none;
    return call_value(string_method(Value(s_of(v)), "capitalize"), none);
  });
  b.add_filter("replace", [](const Builtins&, const Value& v, Args& a) {
    Args ra;
    ra.pos = {Value(arg(a, 0, "old").str()), Value(arg(a, 1, "new").str())};
    Value count = arg(a, 2, "count", Value::none());
    if (!count.is_none()) ra.pos.push_back(count);
    return call_value(string_method(Value(s_of(v)), "replace"), ra);
  });
  b.add_filter("string", [](const Builtins&, const Value& v, Args&) { return Value(s_of(v)); });
  b.add_filter("int", [](const Builtins&, const Value& v, Args& a) { return do_int(v, a); });
  b.add_filter("float", [](const Builtins&, const Value& v, Args& a) { return do_float(v, a); });
  b.add_filter("abs", [](const Builtins&, const Value& v, Args&) {
    if (v.is_float()) return Value(std::fabs(v.as_double()));
    if (v.is_number()) {
      if (v.as_int() == INT64_MIN)
        throw TemplateError("integer overflow in abs(" + std::to_string(v.as_int()) +
                            "): the result does not fit in 64 bits");
      return Value(v.as_int() < 0 ? -v.as_int() : v.as_int());
    }
    throw TemplateError("bad operand type for abs(): '" + v.python_type() + "'");
  });
  b.add_filter("round", [](const Builtins&, const Value& v, Args& a) { return do_round(v, a); });
  b.add_filter("center", [](const Builtins&, const Value& v, Args& a) {
    Args ca;
    ca.pos = {arg(a, 0, "width", Value(80))};
    return call_value(string_method(Value(s_of(v)), "center"), ca);
  });
  b.add_filter("format", [](const Builtins&, const Value& v, Args& a) { return do_format(v, a); });
  b.add_filter("truncate",
               [](const Builtins&, const Value& v, Args& a) { return do_truncate(v, a); });
  b.add_filter("striptags", [](const Builtins&, const Value& v, Args&) { return do_striptags(v); });
  b.add_filter("wordcount", [](const Builtins&, const Value& v, Args&) { return do_wordcount(v); });
  auto esc = [](const Builtins&, const Value& v, Args&) { return Value(html_escape(s_of(v))); };
  b.add_filter("e", esc);
  b.add_filter("escape", esc);
  b.add_filter("forceescape", esc);
  b.add_filter("safe", [](const Builtins&, const Value& v, Args&) { return v; });
  b.add_filter("tojson", [](const Builtins&, const Value& v, Args& a) {
    return Value(to_json_html_safe(v, arg(a, 0, "indent", Value::none())));
  });
  b.add_filter("pprint",
               [](const Builtins&, const Value& v, Args&) { return Value(pprint_repr(v)); });
}

}  // namespace fg::config::jinja
