// `toyaml`: PyYAML's flow-style emitter for the values templates hold (yaml.dump with
// default_flow_style=True, allow_unicode=True, no wrapping, keys sorted).
#include "config/jinja/toyaml.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {

// True when a plain scalar `s` would be resolved to something other than a string (YAML 1.1).
bool resolves_to_non_string(const std::string& s) {
  static const std::regex kBool(
      "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
  static const std::regex kFloat(
      "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
      "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
  static const std::regex kInt(
      "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
      "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
  static const std::regex kNull("^(?:~|null|Null|NULL|)$");
  static const std::regex kTimestamp(
      "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
      "(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
      "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
  if (s == "<<" || s == "=") return true;
  return std::regex_match(s, kBool) || std::regex_match(s, kFloat) || std::regex_match(s, kInt) ||
         std::regex_match(s, kNull) || std::regex_match(s, kTimestamp);
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

std::string node(const Value& v, bool flow, int depth);

// PyYAML's check_simple_key: short non-empty single-line scalars and empty collections;
// other keys are written explicitly as `? key : value`.
bool simple_key(const Value& k, const std::string& text) {
  if (text.size() >= 128) return false;
  if (k.is_sequence()) return k.items().empty();
  if (k.is_mapping()) return k.map().empty();
  if (k.is_string()) return !k.as_string().empty() && k.as_string().find('\n') == std::string::npos;
  return true;
}

std::string node(const Value& v, bool flow, int depth) {
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
      std::string out = v.kind() == Kind::Tuple ? "!!python/tuple [" : "[";
      for (size_t i = 0; i < v.items().size(); ++i)
        out += (i ? ", " : "") + node(v.items()[i], true, depth + 1);
      return out + "]";
    }
    case Kind::Dict: {
      std::vector<std::pair<Value, Value>> entries(v.map().begin(), v.map().end());
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& x, const auto& y) { return values_less(x.first, y.first); });
      std::string out = "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        std::string key = node(entries[i].first, true, depth + 1);
        out += (i ? ", " : "");
        out += simple_key(entries[i].first, key) ? key + ": " : "? " + key + " : ";
        out += node(entries[i].second, true, depth + 1);
      }
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
  return node(v, false, 0);
}

}  // namespace fg::config::jinja
