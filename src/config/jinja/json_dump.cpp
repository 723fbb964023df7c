#include "config/jinja/json_dump.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
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

// json.dumps state: the containers being written (a container inside itself is Python's
// "Circular reference detected"), the depth limit and the room left for the text.
struct DumpState {
  std::vector<const void*> active;
  int64_t max_depth = active_limits().max_render_depth;
  int64_t room = memory_room();
};

void dump(const Value& v, int64_t indent, int64_t level, std::string& out, DumpState& st);

// Lists and mappings: "[a, b]" or, with an indent, one item per line; keys sorted.
void dump_container(const Value& v, int64_t indent, int64_t level, std::string& out,
                    DumpState& st) {
  const void* id = v.identity();
  if (std::find(st.active.begin(), st.active.end(), id) != st.active.end())
    throw TemplateError("Circular reference detected");
  if (level + 1 > st.max_depth)
    throw TemplateError(
        "maximum recursion depth exceeded while encoding a JSON object: values "
        "nest deeper than " +
        std::to_string(st.max_depth) + " levels (" + LimitNames::kRenderDepth + ")");
  check_native_stack("tojson");
  if (indent > 0) reserve_memory(size_mul(indent, level + 2), "tojson indent");
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
  st.active.push_back(id);
  out += open;
  for (size_t i = 0; i < entries.size(); ++i) {
    out += i ? item_sep + nl : nl;
    if (!v.is_sequence()) out += json_string(entries[i].first) + ": ";
    dump(entries[i].second, indent, level + 1, out, st);
    if (static_cast<int64_t>(out.size()) > st.room)
      reserve_memory(static_cast<int64_t>(out.size()), "tojson");
  }
  out += nl_end + close;
  st.active.pop_back();
}

void dump(const Value& v, int64_t indent, int64_t level, std::string& out, DumpState& st) {
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
      dump_container(v, indent, level, out, st);
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
  DumpState st;
  const int64_t width = indent.is_none() || indent.is_undefined() ? -1
                        : indent.is_int() || indent.is_bool()     ? indent.as_int()
                                                                  : int_value(indent);
  dump(v, width, 0, out, st);
  return out;
}

}  // namespace fg::config::jinja
