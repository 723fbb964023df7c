// Arithmetic and concatenation with Python semantics (int/float promotion, floor division and
// modulo signs, str/list repetition, `~` string concatenation).
#include <cmath>
#include <cstdint>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/pyformat.h"

namespace fg::config::jinja {

namespace {

[[noreturn]] void unsupported(const std::string& op, const Value& a, const Value& b) {
  throw TemplateError("unsupported operand type(s) for " + op + ": '" + a.python_type() +
                      "' and '" + b.python_type() + "'");
}

// str/list * n: n <= 0 or an empty operand gives an empty result at once; otherwise the size
// is checked against the memory limit before anything is built.
Value repeat(const Value& seq, int64_t n) {
  const int64_t len = seq.is_string() ? static_cast<int64_t>(seq.as_string().size()) : length(seq);
  const bool empty = n <= 0 || len == 0;
  if (seq.is_string()) {
    if (empty) return Value("");
    reserve_memory(size_mul(len, n), "str * int");
    std::string out;
    out.reserve(static_cast<size_t>(len * n));
    for (int64_t i = 0; i < n; ++i) out += seq.as_string();
    return Value(std::move(out));
  }
  std::vector<Value> items;
  if (!empty) {
    reserve_memory(size_mul(size_mul(len, n), sizeof(Value)), "list * int");
    items.reserve(static_cast<size_t>(len * n));
    for (int64_t i = 0; i < n; ++i)
      for (const auto& v : seq.items()) items.push_back(v);
  }
  return seq.kind() == Kind::Tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

// Python integers are unbounded; ours are 64-bit, so a result that does not fit is a named
// error rather than a wrong number.
[[noreturn]] void overflow(int64_t a, const std::string& op, int64_t b) {
  throw TemplateError("integer overflow in " + std::to_string(a) + " " + op + " " +
                      std::to_string(b) + ": the result does not fit in 64 bits");
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Exponentiation by squaring, every step checked; exponents of 0, 1 and -1 bases need no loop.
int64_t int_pow(int64_t base, int64_t exp) {
  if (exp == 0 || base == 1) return 1;
  if (base == 0) return 0;
  if (base == -1) return exp % 2 == 0 ? 1 : -1;
  int64_t result = 1, b = base, e = exp;
  while (true) {
    if ((e & 1) && __builtin_mul_overflow(result, b, &result)) overflow(base, "**", exp);
    e >>= 1;
    if (e == 0) return result;
    if (__builtin_mul_overflow(b, b, &b)) overflow(base, "**", exp);
  }
}

Value float_pow(double x, double y) {
  if (x == 0.0 && y < 0.0) throw TemplateError("0.0 cannot be raised to a negative power");
  const double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
    throw TemplateError("(34, 'Numerical result out of range')");
  return Value(r);
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
      const int64_t x = a.as_int(), y = b.as_int();
      if (y == -1) {  // the one case where x / y can overflow: INT64_MIN // -1
        if (op == "%") return Value(int64_t{0});
        if (x == INT64_MIN) overflow(x, op, y);
        return Value(-x);
      }
      int64_t q = floor_div(x, y);
      return op == "//" ? Value(q) : Value(x - q * y);
    }
    double x = a.as_double(), y = b.as_double();
    double q = std::floor(x / y);
    if (op == "//") return Value(q);
    double r = std::fmod(x, y);
    if (r != 0.0 && ((r < 0) != (y < 0))) r += y;
    return Value(r);
  }
  if (op == "**") {
    if (!fl && b.as_int() >= 0) return Value(int_pow(a.as_int(), b.as_int()));
    return float_pow(a.as_double(), b.as_double());
  }
  if (fl) {
    double x = a.as_double(), y = b.as_double();
    return Value(op == "+" ? x + y : op == "-" ? x - y : x * y);
  }
  int64_t x = a.as_int(), y = b.as_int(), r = 0;
  bool bad = op == "+"   ? __builtin_add_overflow(x, y, &r)
             : op == "-" ? __builtin_sub_overflow(x, y, &r)
                         : __builtin_mul_overflow(x, y, &r);
  if (bad) overflow(x, op, y);
  return Value(r);
}

}  // namespace

int64_t float_to_int(double d) {
  if (std::isnan(d)) throw TemplateError("cannot convert float NaN to integer");
  if (std::isinf(d)) throw TemplateError("cannot convert float infinity to integer");
  const double t = std::trunc(d);
  // [-2^63, 2^63): both bounds are exact doubles.
  if (t < -9223372036854775808.0 || t >= 9223372036854775808.0)
    throw TemplateError("integer overflow in int(" + float_repr(d) +
                        "): the result does not fit in 64 bits");
  return static_cast<int64_t>(t);
}

int64_t int_value(const Value& v) {
  v.require_defined();
  if (!v.is_int() && !v.is_bool())
    throw TemplateError("'" + v.python_type() + "' object cannot be interpreted as an integer");
  return v.as_int();
}

Value binary_op(const std::string& op, const Value& a, const Value& b) {
  a.require_defined();
  b.require_defined();
  if (op == "~") {
    // Strings are used in place: only the result is built, after the memory check.
    const std::string ls = a.is_string() ? std::string() : a.str();
    const std::string rs = b.is_string() ? std::string() : b.str();
    const std::string& l = a.is_string() ? a.as_string() : ls;
    const std::string& r = b.is_string() ? b.as_string() : rs;
    reserve_memory(static_cast<int64_t>(l.size() + r.size()), "'~'");
    std::string out;
    out.reserve(l.size() + r.size());
    out += l;
    out += r;
    return Value(std::move(out));
  }
  if (a.is_number() && b.is_number()) return numeric(op, a, b);
  if (op == "+") {
    if (a.is_string() && b.is_string()) {
      reserve_memory(static_cast<int64_t>(a.as_string().size() + b.as_string().size()),
                     "str + str");
      return Value(a.as_string() + b.as_string());
    }
    if (a.is_sequence() && a.kind() == b.kind()) {
      reserve_memory(static_cast<int64_t>((a.items().size() + b.items().size()) * sizeof(Value)),
                     "list + list");
      std::vector<Value> items;
      items.reserve(a.items().size() + b.items().size());
      items.insert(items.end(), a.items().begin(), a.items().end());
      items.insert(items.end(), b.items().begin(), b.items().end());
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
