// Arithmetic and concatenation with Python semantics (int/float promotion, floor division and
// modulo signs, str/list repetition, `~` string concatenation).
#include <cmath>

#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/pyformat.h"

namespace fg::config::jinja {

namespace {

[[noreturn]] void unsupported(const std::string& op, const Value& a, const Value& b) {
  throw TemplateError("unsupported operand type(s) for " + op + ": '" + a.python_type() +
                      "' and '" + b.python_type() + "'");
}

Value repeat(const Value& seq, int64_t n) {
  if (seq.is_string()) {
    std::string out;
    for (int64_t i = 0; i < n; ++i) out += seq.as_string();
    return Value(out);
  }
  std::vector<Value> items;
  for (int64_t i = 0; i < n; ++i)
    for (const auto& v : seq.items()) items.push_back(v);
  return seq.kind() == Kind::Tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

// Python integers are unbounded; ours are 64-bit, so overflow is an error rather than wrong.
[[noreturn]] void overflow() {
  throw TemplateError("integer overflow: result does not fit in 64 bits");
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Value numeric(const std::string& op, const Value& a, const Value& b) {
  bool fl = a.is_float() || b.is_float();
  if (op == "/") {
    if (b.as_double() == 0.0) throw TemplateError("division by zero");
    return Value(a.as_double() / b.as_double());
  }
  if (op == "//" || op == "%") {
    if (b.as_double() == 0.0)
      throw TemplateError(!fl         ? "integer division or modulo by zero"
                          : op == "%" ? "float modulo"
                                      : "float floor division by zero");
    if (!fl) {
      int64_t q = floor_div(a.as_int(), b.as_int());
      return op == "//" ? Value(q) : Value(a.as_int() - q * b.as_int());
    }
    double x = a.as_double(), y = b.as_double();
    double q = std::floor(x / y);
    if (op == "//") return Value(q);
    double r = std::fmod(x, y);
    if (r != 0.0 && ((r < 0) != (y < 0))) r += y;
    return Value(r);
  }
  if (op == "**") {
    if (!fl && b.as_int() >= 0) {
      int64_t r = 1;
      for (int64_t i = 0; i < b.as_int(); ++i)
        if (__builtin_mul_overflow(r, a.as_int(), &r)) overflow();
      return Value(r);
    }
    return Value(std::pow(a.as_double(), b.as_double()));
  }
  if (fl) {
    double x = a.as_double(), y = b.as_double();
    return Value(op == "+" ? x + y : op == "-" ? x - y : x * y);
  }
  int64_t x = a.as_int(), y = b.as_int(), r = 0;
  bool bad = op == "+"   ? __builtin_add_overflow(x, y, &r)
             : op == "-" ? __builtin_sub_overflow(x, y, &r)
                         : __builtin_mul_overflow(x, y, &r);
  if (bad) overflow();
  return Value(r);
}

}  // namespace

Value binary_op(const std::string& op, const Value& a, const Value& b) {
  a.require_defined();
  b.require_defined();
  if (op == "~") return Value(a.str() + b.str());
  if (a.is_number() && b.is_number()) return numeric(op, a, b);
  if (op == "+") {
    if (a.is_string() && b.is_string()) return Value(a.as_string() + b.as_string());
    if (a.is_sequence() && a.kind() == b.kind()) {
      std::vector<Value> items = a.items();
      for (const auto& v : b.items()) items.push_back(v);
      return a.kind() == Kind::Tuple ? Value::tuple(std::move(items))
                                     : Value::list(std::move(items));
    }
    if (a.is_string())
      throw TemplateError("can only concatenate str (not \"" + b.python_type() + "\") to str");
    if (a.kind() == Kind::List)
      throw TemplateError("can only concatenate list (not \"" + b.python_type() + "\") to list");
    unsupported(op, a, b);
  }
  if (op == "*") {
    if ((a.is_string() || a.is_sequence()) && (b.is_int() || b.is_bool()))
      return repeat(a, b.as_int());
    if ((b.is_string() || b.is_sequence()) && (a.is_int() || a.is_bool()))
      return repeat(b, a.as_int());
    throw TemplateError("can't multiply sequence by non-int of type '" + b.python_type() + "'");
  }
  if (op == "%" && a.is_string()) return Value(percent_format(a.as_string(), b));
  unsupported(op, a, b);
}

}  // namespace fg::config::jinja
