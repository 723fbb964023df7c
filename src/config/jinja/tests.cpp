// Jinja tests (`x is defined`, `n is divisibleby 3`, ...), jinja2/tests.py semantics.
#include <cctype>
#include <cmath>

#include "config/jinja/builtins.h"
#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {

bool cmp(const std::string& op, const Value& a, const Value& b) {
  if (op == "eq") return values_equal(a, b);
  if (op == "ne") return !values_equal(a, b);
  if (op == "lt") return values_less(a, b);
  if (op == "le") return values_less(a, b) || values_equal(a, b);
  if (op == "gt") return values_less(b, a);
  return values_less(b, a) || values_equal(a, b);  // ge
}

bool all_case(const Value& v, bool upper) {
  if (!v.is_string()) return false;
  bool cased = false;
  for (unsigned char c : v.as_string()) {
    if (upper ? std::islower(c) : std::isupper(c)) return false;
    if (std::isalpha(c)) cased = true;
  }
  return cased;
}

}  // namespace

void register_tests(Builtins& b) {
  b.add_test(
      "defined", [](const Builtins&, const Value& v, Args&) { return !v.is_undefined(); }, true);
  b.add_test(
      "undefined", [](const Builtins&, const Value& v, Args&) { return v.is_undefined(); }, true);
  b.add_test(
      "none", [](const Builtins&, const Value& v, Args&) { return v.is_none(); }, true);
  b.add_test(
      "boolean", [](const Builtins&, const Value& v, Args&) { return v.is_bool(); }, true);
  b.add_test(
      "true", [](const Builtins&, const Value& v, Args&) { return v.is_bool() && v.as_bool(); },
      true);
  b.add_test(
      "false", [](const Builtins&, const Value& v, Args&) { return v.is_bool() && !v.as_bool(); },
      true);
  b.add_test(
      "integer", [](const Builtins&, const Value& v, Args&) { return v.is_int(); }, true);
  b.add_test(
      "float", [](const Builtins&, const Value& v, Args&) { return v.is_float(); }, true);
  b.add_test(
      "number", [](const Builtins&, const Value& v, Args&) { return v.is_number(); }, true);
  b.add_test(
      "string", [](const Builtins&, const Value& v, Args&) { return v.is_string(); }, true);
  b.add_test(
      "mapping", [](const Builtins&, const Value& v, Args&) { return v.is_mapping(); }, true);
  b.add_test(
      "callable",
      [](const Builtins&, const Value& v, Args&) { return v.is_callable() || v.is_undefined(); },
      true);
  b.add_test(
      "sameas",
      [](const Builtins&, const Value& v, Args& a) { return v.same_as(arg(a, 0, "other")); }, true);
  b.add_test("iterable", [](const Builtins&, const Value& v, Args&) {
    return v.is_string() || v.is_sequence() || v.is_mapping() || view_items(v) != nullptr;
  });
  b.add_test("sequence", [](const Builtins&, const Value& v, Args&) {
    return v.is_string() || v.is_sequence() || v.is_mapping() || view_items(v, true) != nullptr;
  });
  b.add_test("even", [](const Builtins&, const Value& v, Args&) {
    if (!v.is_int() && !v.is_bool()) return std::fmod(v.as_double(), 2.0) == 0.0;
    return v.as_int() % 2 == 0;
  });
  b.add_test("odd", [](const Builtins&, const Value& v, Args&) {
    if (!v.is_int() && !v.is_bool()) return std::fmod(v.as_double(), 2.0) != 0.0;
    return v.as_int() % 2 != 0;
  });
  b.add_test("divisibleby", [](const Builtins&, const Value& v, Args& a) {
    Value n = arg(a, 0, "num");
    if (n.as_double() == 0.0) throw TemplateError("integer division or modulo by zero");
    return binary_op("%", v, n).as_double() == 0.0;
  });
  for (const char* op : {"eq", "ne", "lt", "le", "gt", "ge"}) {
    std::string o = op;
    b.add_test(
        o, [o](const Builtins&, const Value& v, Args& a) { return cmp(o, v, arg(a, 0, "other")); });
  }
  const std::pair<const char*, const char*> aliases[] = {
      {"==", "eq"}, {"equalto", "eq"}, {"!=", "ne"},          {"<", "lt"}, {"lessthan", "lt"},
      {"<=", "le"}, {">", "gt"},       {"greaterthan", "gt"}, {">=", "ge"}};
  for (const auto& [alias, op] : aliases) {
    std::string o = op;
    b.add_test(alias, [o](const Builtins&, const Value& v, Args& a) {
      return cmp(o, v, arg(a, 0, "other"));
    });
  }
  b.add_test(
      "in", [](const Builtins&, const Value& v, Args& a) { return contains(arg(a, 0, "seq"), v); });
  b.add_test("lower", [](const Builtins&, const Value& v, Args&) { return all_case(v, false); });
  b.add_test("upper", [](const Builtins&, const Value& v, Args&) { return all_case(v, true); });
  b.add_test("escaped", [](const Builtins&, const Value&, Args&) { return false; });
  b.add_test("filter", [](const Builtins& bb, const Value& v, Args&) {
    return v.is_string() && bb.has_filter(v.as_string());
  });
}

}  // namespace fg::config::jinja
