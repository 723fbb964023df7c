// `toyaml`: PyYAML's flow-style emitter for the values templates hold (yaml.dump with
// default_flow_style=True, allow_unicode=True, no wrapping, keys sorted).
#include "config/jinja/toyaml.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "config/jinja/budget.h"
#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {

// PyYAML's YAML 1.1 implicit resolvers, matched by hand (std::regex recurses once per
// character and overflows the stack on long strings).
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Advances i over characters in `set` (or digits when set is null); returns how many.
size_t skip(const std::string& s, size_t& i, const char* set) {
  const size_t b = i;
  while (i < s.size() && (set ? std::strchr(set, s[i]) != nullptr && s[i] != '\0' : is_digit(s[i])))
    ++i;
  return i - b;
}

// One or more `:[0-5]?[0-9]` groups.
bool sexagesimal(const std::string& s, size_t& i) {
  size_t groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    if (i + 1 < s.size() && s[i] >= '0' && s[i] <= '5' && is_digit(s[i + 1])) {
      i += 2;
    } else if (i < s.size() && is_digit(s[i])) {
      i += 1;
    } else {
      return false;
    }
    ++groups;
  }
  return groups > 0;
}

// Optional `[eE][-+][0-9]+`.
bool exponent(const std::string& s, size_t& i) {
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return true;
  if (i + 1 >= s.size() || (s[i + 1] != '-' && s[i + 1] != '+')) return false;
  i += 2;
  return skip(s, i, nullptr) > 0;
}

bool yaml_int(const std::string& s) {
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i >= s.size()) return false;
  if (s.compare(i, 2, "0b") == 0) {
    i += 2;
    return skip(s, i, "01_") > 0 && i == s.size();
  }
  if (s.compare(i, 2, "0x") == 0) {
    i += 2;
    return skip(s, i, "0123456789abcdefABCDEF_") > 0 && i == s.size();
  }
  if (s[i] == '0') {
    ++i;
    return i == s.size() || (skip(s, i, "01234567_") > 0 && i == s.size());
  }
  if (s[i] < '1' || s[i] > '9') return false;
  ++i;
  skip(s, i, "0123456789_");
  if (i == s.size()) return true;
  return sexagesimal(s, i) && i == s.size();
}

bool yaml_float(const std::string& s) {
  static const char* kSpecial[] = {".inf",  ".Inf",  ".INF",  "-.inf", "-.Inf", "-.INF",
                                   "+.inf", "+.Inf", "+.INF", ".nan",  ".NaN",  ".NAN"};
  for (const char* w : kSpecial)
    if (s == w) return true;
  if (s.size() >= 2 && s[0] == '.' && is_digit(s[1])) {
    size_t i = 1;
    skip(s, i, "0123456789_");
    return exponent(s, i) && i == s.size();
  }
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i >= s.size() || !is_digit(s[i])) return false;
  skip(s, i, "0123456789_");
  bool sexa = false;
  if (i < s.size() && s[i] == ':') {
    if (!sexagesimal(s, i)) return false;
    sexa = true;
  }
  if (i >= s.size() || s[i] != '.') return false;
  ++i;
  skip(s, i, "0123456789_");
  if (sexa) return i == s.size();
  return exponent(s, i) && i == s.size();
}

bool yaml_timestamp(const std::string& s) {
  size_t i = 0;
  auto digits = [&](size_t lo, size_t hi) {
    const size_t b = i;
    while (i < s.size() && is_digit(s[i]) && i - b < hi) ++i;
    return i - b >= lo;
  };
  auto ch = [&](char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  if (!digits(4, 4) || !ch('-')) return false;
  const size_t date_start = i;
  if (!digits(1, 2) || !ch('-') || !digits(1, 2)) return false;
  if (i == s.size()) return s.size() == 10 && i - date_start == 5;  // YYYY-MM-DD only
  if (!ch('T') && !ch('t')) {
    if (skip(s, i, " \t") == 0) return false;
  }
  if (!digits(1, 2) || !ch(':') || !digits(2, 2) || !ch(':') || !digits(2, 2)) return false;
  if (ch('.')) skip(s, i, nullptr);
  if (i == s.size()) return true;
  skip(s, i, " \t");
  if (ch('Z')) return i == s.size();
  if (!ch('-') && !ch('+')) return false;
  if (!digits(1, 2)) return false;
  if (ch(':') && !digits(2, 2)) return false;
  return i == s.size();
}

// True when a plain scalar `s` would be resolved to something other than a string (YAML 1.1).
bool resolves_to_non_string(const std::string& s) {
  static const char* kWords[] = {"yes",  "Yes",  "YES",   "no",    "No",    "NO",   "true",
                                 "True", "TRUE", "false", "False", "FALSE", "on",   "On",
                                 "ON",   "off",  "Off",   "OFF",   "~",     "null", "Null",
                                 "NULL", "",     "<<",    "="};
  for (const char* w : kWords)
    if (s == w) return true;
  return yaml_float(s) || yaml_int(s) || yaml_timestamp(s);
}

bool is_ws(char c) {
  return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct Analysis {
  bool flow_plain = true, block_plain = true, single_quoted = true;
};

// PyYAML Emitter.analyze_scalar, restricted to what decides the scalar style.
Analysis analyze(const std::string& s) {
  Analysis a;
  if (s.empty()) {
    a.flow_plain = false;
    return a;
  }
  bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, prev_space = false, prev_break = false;
  if (s.rfind("---", 0) == 0 || s.rfind("...", 0) == 0) block_ind = flow_ind = true;
  bool preceded_ws = true;
  bool followed_ws = s.size() == 1 || is_ws(s[1]);
  const std::string kIndicators0 = "#,[]{}&*!|>'\"%@`";
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    unsigned char u = static_cast<unsigned char>(ch);
    if (i == 0) {
      if (kIndicators0.find(ch) != std::string::npos) flow_ind = block_ind = true;
      if (ch == '?' || ch == ':') {
        flow_ind = true;
        if (followed_ws) block_ind = true;
      }
      if (ch == '-' && followed_ws) flow_ind = block_ind = true;
    } else {
      if (std::string(",?[]{}").find(ch) != std::string::npos) flow_ind = true;
      if (ch == ':') {
        flow_ind = true;
        if (followed_ws) block_ind = true;
      }
      if (ch == '#' && preceded_ws) flow_ind = block_ind = true;
    }
    if (ch == '\n') line_breaks = true;
    if (!(ch == '\n' || (u >= 0x20 && u <= 0x7E)) && u < 0x80) special = true;
    if (ch == ' ') {
      if (i == 0) leading_space = true;
      if (i + 1 == s.size()) trailing_space = true;
      if (prev_break) break_space = true;
      prev_space = true;
      prev_break = false;
    } else if (ch == '\n') {
      if (i == 0) leading_break = true;
      if (i + 1 == s.size()) trailing_break = true;
      if (prev_space) space_break = true;
      prev_space = false;
      prev_break = true;
    } else {
      prev_space = prev_break = false;
    }
    preceded_ws = is_ws(ch);
    followed_ws = i + 2 >= s.size() || is_ws(s[i + 2]);
  }
  if (leading_space || leading_break || trailing_space || trailing_break)
    a.flow_plain = a.block_plain = false;
  if (break_space) a.flow_plain = a.block_plain = a.single_quoted = false;
  if (space_break || special) a.flow_plain = a.block_plain = a.single_quoted = false;
  if (line_breaks) a.flow_plain = a.block_plain = false;
  if (flow_ind) a.flow_plain = false;
  if (block_ind) a.block_plain = false;
  return a;
}

std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0x1b:
        out += "\\e";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char b[8];
          std::snprintf(b, sizeof b, "\\x%02X", c);
          out += b;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// PyYAML's write_single_quoted without line wrapping: a run of line breaks is written as one
// extra break plus the breaks, then the indentation of the enclosing flow level.
std::string single_quoted(const std::string& s, int depth) {
  const std::string indent(static_cast<size_t>(2 * (depth + 1)), ' ');
  reserve_memory(
      size_add(size_mul(static_cast<int64_t>(s.size()), 2),
               size_mul(std::count(s.begin(), s.end(), '\n'), static_cast<int64_t>(indent.size()))),
      "toyaml");
  std::string out = "'";
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\n') {
      size_t j = i;
      while (j < s.size() && s[j] == '\n') ++j;
      out += "\n" + std::string(j - i, '\n') + indent;
      i = j;
      continue;
    }
    out += s[i] == '\'' ? std::string("''") : std::string(1, s[i]);
    ++i;
  }
  return out + "'";
}

// depth: number of flow collections around the scalar (0 at the top level).
std::string scalar(const std::string& s, bool flow, int depth) {
  Analysis a = analyze(s);
  bool plain_ok = flow ? a.flow_plain : a.block_plain;
  if (plain_ok && !resolves_to_non_string(s)) return s;
  if (a.single_quoted) return single_quoted(s, depth);
  return double_quoted(s);
}

std::string yaml_float(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  std::string v = float_repr(d);
  if (v.find('.') == std::string::npos && v.find('e') != std::string::npos)
    v.replace(v.find('e'), 1, ".0e");
  return v;
}

// The containers being written: PyYAML would write anchors for a container inside itself;
// the flow style here cannot, so that is an error (as is nesting past the depth limit).
struct Emit {
  std::vector<const void*> active;
  int64_t max_depth = active_limits().max_render_depth;
  int64_t room = memory_room();
};

std::string node(const Value& v, bool flow, int depth, Emit& em);

void enter(const Value& v, int depth, Emit& em) {
  const void* id = v.identity();
  if (std::find(em.active.begin(), em.active.end(), id) != em.active.end())
    throw TemplateError("toyaml: cannot represent a recursive " + v.python_type() +
                        " (it contains itself)");
  if (depth + 1 > em.max_depth)
    throw TemplateError("maximum recursion depth exceeded in toyaml: values nest deeper than " +
                        std::to_string(em.max_depth) + " levels (" + LimitNames::kRenderDepth +
                        ")");
  check_native_stack("toyaml");
  em.active.push_back(id);
}

void grow(const std::string& out, const Emit& em) {
  if (static_cast<int64_t>(out.size()) > em.room)
    reserve_memory(static_cast<int64_t>(out.size()), "toyaml");
}

// PyYAML's check_simple_key: short non-empty single-line scalars and empty collections;
// other keys are written explicitly as `? key : value`.
bool simple_key(const Value& k, const std::string& text) {
  if (text.size() >= 128) return false;
  if (k.is_sequence()) return k.items().empty();
  if (k.is_mapping()) return k.map().empty();
  if (k.is_string()) return !k.as_string().empty() && k.as_string().find('\n') == std::string::npos;
  return true;
}

std::string node(const Value& v, bool flow, int depth, Emit& em) {
  switch (v.kind()) {
    case Kind::None:
      return "null";
    case Kind::Bool:
      return v.as_bool() ? "true" : "false";
    case Kind::Int:
      return std::to_string(v.as_int());
    case Kind::Float:
      return yaml_float(v.as_double());
    case Kind::String:
      return scalar(v.as_string(), flow, depth);
    case Kind::List:
    case Kind::Tuple: {
      enter(v, depth, em);
      std::string out = v.kind() == Kind::Tuple ? "!!python/tuple [" : "[";
      for (size_t i = 0; i < v.items().size(); ++i) {
        out += (i ? ", " : "") + node(v.items()[i], true, depth + 1, em);
        grow(out, em);
      }
      em.active.pop_back();
      return out + "]";
    }
    case Kind::Dict: {
      enter(v, depth, em);
      std::vector<std::pair<Value, Value>> entries(v.map().begin(), v.map().end());
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& x, const auto& y) { return values_less(x.first, y.first); });
      std::string out = "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        std::string key = node(entries[i].first, true, depth + 1, em);
        out += (i ? ", " : "");
        out += simple_key(entries[i].first, key) ? key + ": " : "? " + key + " : ";
        out += node(entries[i].second, true, depth + 1, em);
        grow(out, em);
      }
      em.active.pop_back();
      return out + "}";
    }
    case Kind::Undefined:
      v.require_defined();
      return "";
    default:
      throw TemplateError("cannot represent an object: " + v.repr());
  }
}

}  // namespace

std::string yaml_scalar(const std::string& s) {
  return scalar(s, true, 0);
}

std::string to_yaml(const Value& v) {
  v.require_defined();
  if (v.is_bool() || v.is_int()) return v.str();
  if (v.is_none()) return "null";
  Emit em;
  return node(v, false, 0, em);
}

}  // namespace fg::config::jinja
