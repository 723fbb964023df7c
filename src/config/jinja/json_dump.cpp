#include "config/jinja/json_dump.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {

uint32_t decode_utf8(const std::string& s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += static_cast<size_t>(len);
  return cp;
}

void put_u(std::string& out, uint32_t cp) {
  char b[16];
  std::snprintf(b, sizeof b, "\\u%04x", cp);
  out += b;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '<':
      case '>':
      case '&':
      case '\'':
        put_u(out, cp);
        break;
      default:
        if (cp < 0x20 || cp > 0x7e) {
          if (cp >= 0x10000) {
            cp -= 0x10000;
            put_u(out, 0xD800 + (cp >> 10));
            put_u(out, 0xDC00 + (cp & 0x3FF));
          } else {
            put_u(out, cp);
          }
        } else {
          out += static_cast<char>(cp);
        }
    }
  }
  return out + "\"";
}

std::string key_string(const Value& k) {
  if (k.is_string()) return k.as_string();
  if (k.is_bool()) return k.as_bool() ? "true" : "false";
  if (k.is_none()) return "null";
  if (k.is_number()) return k.repr();
  throw TemplateError("keys must be str, int, float, bool or None, not " + k.python_type());
}

void dump(const Value& v, int64_t indent, int64_t level, std::string& out);

// Lists and mappings: "[a, b]" or, with an indent, one item per line; keys sorted.
void dump_container(const Value& v, int64_t indent, int64_t level, std::string& out) {
  std::vector<std::pair<std::string, Value>> entries;
  if (v.is_sequence()) {
    for (const auto& x : v.items()) entries.emplace_back("", x);
  } else {
    for (const auto& [k, x] : v.map()) entries.emplace_back(key_string(k), x);
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  const char* open = v.is_sequence() ? "[" : "{";
  const char* close = v.is_sequence() ? "]" : "}";
  if (entries.empty()) {
    out += std::string(open) + close;
    return;
  }
  std::string nl, nl_end;
  if (indent >= 0) {
    nl = "\n" + std::string(static_cast<size_t>(indent * (level + 1)), ' ');
    nl_end = "\n" + std::string(static_cast<size_t>(indent * level), ' ');
  }
  const std::string item_sep = indent >= 0 ? "," : ", ";
  out += open;
  for (size_t i = 0; i < entries.size(); ++i) {
    out += i ? item_sep + nl : nl;
    if (!v.is_sequence()) out += json_string(entries[i].first) + ": ";
    dump(entries[i].second, indent, level + 1, out);
  }
  out += nl_end + close;
}

void dump(const Value& v, int64_t indent, int64_t level, std::string& out) {
  switch (v.kind()) {
    case Kind::None:
      out += "null";
      return;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::Int:
      out += std::to_string(v.as_int());
      return;
    case Kind::Float: {
      double d = v.as_double();
      out += std::isnan(d)   ? "NaN"
             : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                             : float_repr(d);
      return;
    }
    case Kind::String:
      out += json_string(v.as_string());
      return;
    case Kind::List:
    case Kind::Tuple:
    case Kind::Dict:
    case Kind::Namespace:
      dump_container(v, indent, level, out);
      return;
    case Kind::Undefined:
      v.require_defined();
      return;
    default:
      throw TemplateError("Object of type " + v.python_type() + " is not JSON serializable");
  }
}

}  // namespace

std::string to_json_html_safe(const Value& v, const Value& indent) {
  std::string out;
  dump(v, indent.is_none() || indent.is_undefined() ? -1 : indent.as_int(), 0, out);
  return out;
}

}  // namespace fg::config::jinja
