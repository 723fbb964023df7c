#pragma once
// Filter and test tables, plus the Python-object operations they and the evaluator share
// (attribute/item access, calls, arithmetic, iteration).
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "config/jinja/value.h"

namespace fg::config::jinja {

class Builtins;
using FilterFn = std::function<Value(const Builtins&, const Value&, Args&)>;
using TestFn = std::function<bool(const Builtins&, const Value&, Args&)>;

class Builtins {
 public:
  Builtins();  // registers all standard filters and tests
  // Applies filter/test `name`; raises "No filter named 'x'." / "No test named 'x'.".
  Value filter(const std::string& name, const Value& v, Args& args) const;
  bool test(const std::string& name, const Value& v, Args& args) const;
  bool has_filter(const std::string& name) const { return filters_.count(name) > 0; }
  void add_filter(const std::string& name, FilterFn fn, bool accepts_undefined = false);
  void add_test(const std::string& name, TestFn fn, bool accepts_undefined = false);

 private:
  std::unordered_map<std::string, FilterFn> filters_;
  std::unordered_map<std::string, TestFn> tests_;
  std::unordered_set<std::string> lenient_filters_, lenient_tests_;
};

void register_filters(Builtins& b);
void register_collection_filters(Builtins& b);
void register_tests(Builtins& b);

// Python-like object protocol.
Value get_attr(const Value& obj, const std::string& name);
Value get_item(const Value& obj, const Value& key);
Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step);
// The indices obj[start:stop:step] selects from a sequence of length n (Python semantics).
std::vector<int64_t> slice_indices(int64_t n, const Value& start, const Value& stop,
                                   const Value& step);
Value call_value(const Value& fn, Args& args);
std::vector<Value> iterate(const Value& v);  // list(v); raises for non-iterables
int64_t length(const Value& v);
bool contains(const Value& container, const Value& item);
Value binary_op(const std::string& op, const Value& a, const Value& b);
std::string object_type_repr(const Value& v);  // "'dict object'"-style name used in messages
// range() / dict views: iterable, sized, printed by `repr` (computed when printed).
// `repr` "" prints as `type(items)` (dict views); else it is the fixed text (range).
Value make_view(std::vector<Value> items, std::string type, std::string repr, bool indexable);
const Value* view_items(const Value& v, bool need_index = false);

// int(x) of a float: NaN/inf and values outside 64 bits are named errors, never UB.
int64_t float_to_int(double d);
// An int argument (bools count): else "'float' object cannot be interpreted as an integer".
int64_t int_value(const Value& v);

// Argument helpers for native functions: positional index or keyword name, else default.
Value arg(Args& a, size_t index, const char* name, Value dflt = Value());
bool has_arg(Args& a, size_t index, const char* name);
// A keyword-only argument, else the default.
Value kwarg(Args& a, const char* name, Value dflt = Value());
void check_no_undefined(const Args& a);

}  // namespace fg::config::jinja
