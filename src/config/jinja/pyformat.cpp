#include "config/jinja/pyformat.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {

struct Spec {
  std::string fill = " ";
  char align = '\0';
  char sign = '-';
  bool alt = false;
  int64_t width = -1;
  char grouping = '\0';
  int64_t precision = -1;
  char type = '\0';
};

// A width or precision: Python refuses more digits than fit in a Py_ssize_t.
int64_t spec_number(const std::string& digits) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size())
    throw TemplateError("Too many decimal digits in format string");
  return v;
}

// Reads one UTF-8 character starting at s[i].
size_t utf8_len(const std::string& s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

Spec parse_spec(const std::string& s) {
  Spec sp;
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (!s.empty()) {
    size_t l = utf8_len(s, 0);
    if (l < s.size() && is_align(s[l])) {
      sp.fill = s.substr(0, l);
      sp.align = s[l];
      i = l + 1;
    } else if (is_align(s[0])) {
      sp.align = s[0];
      i = 1;
    }
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp.sign = s[i++];
  if (i < s.size() && s[i] == '#') {
    sp.alt = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    if (sp.align == '\0') {
      sp.fill = "0";
      sp.align = '=';
    }
    ++i;
  }
  size_t b = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i > b) sp.width = spec_number(s.substr(b, i - b));
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) sp.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    b = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == b) throw TemplateError("Format specifier missing precision");
    sp.precision = spec_number(s.substr(b, i - b));
  }
  if (i < s.size()) sp.type = s[i++];
  if (i != s.size()) throw TemplateError("Invalid format specifier '" + s + "'");
  return sp;
}

int64_t display_len(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string repeat_fill(const std::string& fill, int64_t n) {
  reserve_memory(size_mul(n, static_cast<int64_t>(fill.size())), "a format width");
  std::string out;
  out.reserve(static_cast<size_t>(n) * fill.size());
  for (int64_t i = 0; i < n; ++i) out += fill;
  return out;
}

// Pads `body` (with its sign/prefix split off for '=' alignment) to the spec's width.
std::string align_text(const std::string& prefix, const std::string& body, const Spec& sp,
                       char default_align) {
  char align = sp.align ? sp.align : default_align;
  int64_t len = display_len(prefix) + display_len(body);
  int64_t total = sp.width > len ? sp.width - len : 0;
  if (align == '=') return prefix + repeat_fill(sp.fill, total) + body;
  std::string s = prefix + body;
  if (align == '<') return s + repeat_fill(sp.fill, total);
  if (align == '>') return repeat_fill(sp.fill, total) + s;
  int64_t left = total / 2;
  return repeat_fill(sp.fill, left) + s + repeat_fill(sp.fill, total - left);
}

std::string group_digits(const std::string& digits, char sep, size_t every) {
  std::string out;
  int64_t n = static_cast<int64_t>(digits.size());
  for (int64_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % static_cast<int64_t>(every) == 0) out += sep;
    out += digits[static_cast<size_t>(i)];
  }
  return out;
}

std::string sign_prefix(bool negative, char sign) {
  if (negative) return "-";
  if (sign == '+') return "+";
  if (sign == ' ') return " ";
  return "";
}

std::string format_int(int64_t v, const Spec& sp) {
  bool neg = v < 0;
  uint64_t mag = neg ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  std::string digits, prefix;
  char type = sp.type ? sp.type : 'd';
  if (type == 'c') {
    if (v < 0 || v > 0x10FFFF) throw TemplateError("%c arg not in range(0x110000)");
    std::string ch;
    utf8::append(ch, static_cast<uint32_t>(v));
    return align_text("", ch, sp, '<');
  }
  int base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
  if (mag == 0) digits = "0";
  while (mag > 0) {
    int d = static_cast<int>(mag % static_cast<uint64_t>(base));
    digits.insert(digits.begin(),
                  static_cast<char>(d < 10 ? '0' + d : (type == 'X' ? 'A' : 'a') + d - 10));
    mag /= static_cast<uint64_t>(base);
  }
  if (sp.grouping) digits = group_digits(digits, sp.grouping, base == 10 ? 3 : 4);
  if (sp.alt && base != 10)
    prefix = base == 16 ? (type == 'X' ? "0X" : "0x") : base == 8 ? "0o" : "0b";
  return align_text(sign_prefix(neg, sp.sign) + prefix, digits, sp, '>');
}

std::string format_float(double v, const Spec& sp) {
  char type = sp.type;
  bool neg = std::signbit(v) && !std::isnan(v);
  double mag = std::fabs(v);
  std::string body;
  if (std::isinf(mag) || std::isnan(mag)) {
    body = std::isnan(mag) ? "nan" : "inf";
    if (type == 'F' || type == 'E' || type == 'G')
      for (char& c : body) c = static_cast<char>(std::toupper(c));
  } else if (type == '\0' && sp.precision < 0) {
    body = float_repr(mag);
  } else {
    int64_t prec = sp.precision < 0 ? 6 : sp.precision;
    double x = type == '%' ? mag * 100 : mag;
    char t = type == '%' ? 'f' : type == '\0' ? 'g' : type == 'n' ? 'g' : type;
    if (type == '\0' && prec == 0) prec = 1;
    if (prec > 1'000'000'000) throw TemplateError("precision too big");
    // Digits before the point (at most 309) plus the precision; checked before printf allocates.
    reserve_memory(prec + 400, "a format precision");
    std::string fmt = std::string("%") + (sp.alt ? "#" : "") + "." + std::to_string(prec) + t;
    std::vector<char> buf(static_cast<size_t>(prec) + 400);
    std::snprintf(buf.data(), buf.size(), fmt.c_str(), x);
    body = buf.data();
    if (type == '\0' && body.find_first_of(".eE") == std::string::npos) body += ".0";
    if (type == '%') body += "%";
  }
  if (sp.grouping) {
    size_t end = body.find_first_of(".eE%");
    std::string ip = body.substr(0, end), rest = end == std::string::npos ? "" : body.substr(end);
    if (!ip.empty() && std::isdigit(static_cast<unsigned char>(ip[0])))
      body = group_digits(ip, sp.grouping, 3) + rest;
  }
  return align_text(sign_prefix(neg, sp.sign), body, sp, '>');
}

}  // namespace

std::string format_value(const Value& v, const std::string& spec) {
  v.require_defined();
  if (spec.empty()) return v.str();
  Spec sp = parse_spec(spec);
  if (v.is_string()) {
    if (sp.type && sp.type != 's')
      throw TemplateError(std::string("Unknown format code '") + sp.type +
                          "' for object of type 'str'");
    std::string s = v.as_string();
    if (sp.precision >= 0 && display_len(s) > sp.precision) {
      size_t i = 0;
      for (int64_t n = 0; n < sp.precision; ++n) i += utf8_len(s, i);
      s = s.substr(0, i);
    }
    return align_text("", s, sp, '<');
  }
  if (v.is_int() || v.is_bool()) {
    if (sp.type == '\0' || std::string("dbxXocn").find(sp.type) != std::string::npos)
      return format_int(v.as_int(), sp);
    if (std::string("eEfFgG%").find(sp.type) != std::string::npos)
      return format_float(v.as_double(), sp);
    throw TemplateError(std::string("Unknown format code '") + sp.type +
                        "' for object of type 'int'");
  }
  if (v.is_float()) {
    if (sp.type == '\0' || std::string("eEfFgGn%").find(sp.type) != std::string::npos)
      return format_float(v.as_double(), sp);
    throw TemplateError(std::string("Unknown format code '") + sp.type +
                        "' for object of type 'float'");
  }
  throw TemplateError("unsupported format string passed to " + v.python_type() + ".__format__");
}

namespace {

// Resolves "0", "name", "0.attr", "name[key]" against the format arguments.
Value resolve_field(const std::string& field, const Args& args, size_t& auto_index) {
  size_t end = field.find_first_of(".[");
  std::string head = field.substr(0, end);
  Value v;
  if (head.empty()) {
    if (auto_index >= args.pos.size())
      throw TemplateError("Replacement index " + std::to_string(auto_index) +
                          " out of range for positional args tuple");
    v = args.pos[auto_index++];
  } else if (std::isdigit(static_cast<unsigned char>(head[0]))) {
    const size_t i = static_cast<size_t>(spec_number(head));
    if (i >= args.pos.size())
      throw TemplateError("Replacement index " + std::to_string(i) +
                          " out of range for positional args tuple");
    v = args.pos[i];
  } else {
    bool found = false;
    for (const auto& [k, x] : args.kw)
      if (k == head) {
        v = x;
        found = true;
      }
    if (!found) throw TemplateError("'" + head + "'");
  }
  size_t i = end;
  while (i != std::string::npos && i < field.size()) {
    if (field[i] == '.') {
      size_t j = field.find_first_of(".[", i + 1);
      v = get_attr(v, field.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1));
      i = j;
    } else {
      size_t j = field.find(']', i);
      if (field[i] != '[')
        throw TemplateError("Only '.' or '[' may follow ']' in format field specifier");
      if (j == std::string::npos) throw TemplateError("Missing ']' in format string");
      std::string key = field.substr(i + 1, j - i - 1);
      bool numeric = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
      v = get_item(v, numeric ? Value(spec_number(key)) : Value(key));
      i = j + 1;
    }
  }
  v.require_defined();
  return v;
}

}  // namespace

namespace {
std::string str_format_at(const std::string& fmt, const Args& args, int depth, size_t& auto_index);
}  // namespace

std::string str_format(const std::string& fmt, const Args& args) {
  size_t auto_index = 0;
  return str_format_at(fmt, args, 0, auto_index);
}

namespace {
// `auto_index` numbers "{}" fields in order of appearance, nested spec fields included.
std::string str_format_at(const std::string& fmt, const Args& args, int depth, size_t& auto_index) {
  // Python allows one nested level in a spec ("{:{width}}"), not more.
  if (depth > 1) throw TemplateError("Max string recursion exceeded");
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      throw TemplateError("Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // Find the matching '}' allowing one level of nested fields in the spec.
    size_t j = i + 1;
    int braces = 1;
    for (; j < fmt.size(); ++j) {
      if (fmt[j] == '{') ++braces;
      if (fmt[j] == '}' && --braces == 0) break;
    }
    if (j >= fmt.size()) throw TemplateError("expected '}' before end of string");
    std::string inner = fmt.substr(i + 1, j - i - 1);
    size_t colon = inner.find(':');
    size_t bang = inner.find('!');
    if (bang != std::string::npos && colon != std::string::npos && bang > colon)
      bang = std::string::npos;
    std::string field = inner.substr(0, std::min(colon, bang));
    char conv = bang != std::string::npos ? inner[bang + 1] : '\0';
    std::string spec = colon != std::string::npos ? inner.substr(colon + 1) : "";
    Value v = resolve_field(field, args, auto_index);
    if (spec.find('{') != std::string::npos)
      spec = str_format_at(spec, args, depth + 1, auto_index);
    if (conv == 'r')
      v = Value(v.repr());
    else if (conv == 's')
      v = Value(v.str());
    out += format_value(v, spec);
    if (static_cast<int64_t>(out.size()) > memory_room())
      reserve_memory(static_cast<int64_t>(out.size()), "str.format()");
    i = j;
  }
  return out;
}
}  // namespace

namespace {

// One printf-style conversion: `%[(key)][flags][width][.prec]type`, parsed from fmt[i].
struct Conversion {
  Spec spec;
  char type = 's';
  bool keyed = false;
  std::string key;
};

Conversion parse_conversion(const std::string& fmt, size_t& i) {
  Conversion c;
  if (fmt[i] == '(') {
    size_t j = fmt.find(')', i);
    if (j == std::string::npos) throw TemplateError("incomplete format key");
    c.keyed = true;
    c.key = fmt.substr(i + 1, j - i - 1);
    i = j + 1;
  }
  std::string flags;
  while (i < fmt.size() && std::string("-+ #0").find(fmt[i]) != std::string::npos)
    flags += fmt[i++];
  std::string width, prec;
  while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) width += fmt[i++];
  if (i < fmt.size() && fmt[i] == '.') {
    ++i;
    while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) prec += fmt[i++];
    if (prec.empty()) prec = "0";
  }
  if (i >= fmt.size()) throw TemplateError("incomplete format");
  c.type = fmt[i];
  Spec& sp = c.spec;
  sp.width = width.empty() ? -1 : spec_number(width);
  sp.precision = prec.empty() ? -1 : spec_number(prec);
  sp.alt = flags.find('#') != std::string::npos;
  if (flags.find('+') != std::string::npos)
    sp.sign = '+';
  else if (flags.find(' ') != std::string::npos)
    sp.sign = ' ';
  sp.align = '>';
  if (flags.find('-') != std::string::npos) {
    sp.align = '<';
  } else if (flags.find('0') != std::string::npos && c.type != 's' && c.type != 'r') {
    sp.fill = "0";
    sp.align = '=';
  }
  return c;
}

std::string convert(const Value& v, Conversion c) {
  Spec& sp = c.spec;
  const char t = c.type;
  if (t == 's' || t == 'r') {
    std::string s = t == 's' ? v.str() : v.repr();
    if (sp.precision >= 0) s = s.substr(0, static_cast<size_t>(sp.precision));
    return align_text("", s, sp, '>');
  }
  if (t == 'd' || t == 'i' || t == 'u') {
    if (!v.is_number())
      throw TemplateError("%d format: a real number is required, not " + v.python_type());
    sp.type = 'd';
    sp.precision = -1;
    return format_int(v.is_float() ? float_to_int(v.as_double()) : v.as_int(), sp);
  }
  if (std::string("xXoc").find(t) != std::string::npos) {
    if (!v.is_int() && !v.is_bool())
      throw TemplateError(std::string("%") + t + " format: an integer is required, not " +
                          v.python_type());
    sp.type = t;
    return format_int(v.as_int(), sp);
  }
  if (std::string("eEfFgG").find(t) != std::string::npos) {
    if (!v.is_number()) throw TemplateError("must be real number, not " + v.python_type());
    sp.type = t;
    return format_float(v.as_double(), sp);
  }
  throw TemplateError(std::string("unsupported format character '") + t + "'");
}

}  // namespace

std::string percent_format(const std::string& fmt, const Value& args) {
  std::vector<Value> pos = args.kind() == Kind::Tuple ? args.items() : std::vector<Value>{args};
  size_t next = 0;
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (++i >= fmt.size()) throw TemplateError("incomplete format");
    Conversion c = parse_conversion(fmt, i);
    if (c.type == '%') {
      out += '%';
      continue;
    }
    if (static_cast<int64_t>(out.size()) > memory_room())
      reserve_memory(static_cast<int64_t>(out.size()), "'%' formatting");
    Value v;
    if (c.keyed) {
      if (!args.is_mapping()) throw TemplateError("format requires a mapping");
      const Value* x = args.map().find(c.key);
      if (!x) throw TemplateError("'" + c.key + "'");
      v = *x;
    } else {
      if (next >= pos.size()) throw TemplateError("not enough arguments for format string");
      v = pos[next++];
    }
    out += convert(v, c);
  }
  if (next < pos.size() && !args.is_mapping())
    throw TemplateError("not all arguments converted during string formatting");
  return out;
}

}  // namespace fg::config::jinja
