#include "config/jinja/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "config/jinja/budget.h"
#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {
const std::string kDefaultUndefined = "undefined value";

// Storage is freed iteratively: a container whose last reference goes away while another is
// being freed is queued, not freed recursively, so a list nested a million deep (built by a
// loop) does not overflow the stack when it goes.
struct PendingDelete {
  void* p;
  void (*del)(void*);
};
thread_local bool tl_deletes_gone = false;  // trivially destructible: readable at thread exit
struct DeleteQueue {
  bool active = false;
  std::vector<PendingDelete> pending;
  ~DeleteQueue() { tl_deletes_gone = true; }
};
thread_local DeleteQueue tl_deletes;

template <typename T>
void delete_now(void* p) {
  delete static_cast<T*>(p);
}

template <typename T>
void deferred_delete(T* p) noexcept {
  if (tl_deletes_gone) {  // a value freed after this thread's queue (static destruction)
    delete p;
    return;
  }
  DeleteQueue& q = tl_deletes;
  if (q.active) {
    try {
      q.pending.push_back({const_cast<void*>(static_cast<const void*>(p)), &delete_now<T>});
      return;
    } catch (...) {  // no memory for the queue: free it here instead
    }
  }
  const bool outer = !q.active;
  q.active = true;
  delete p;
  if (!outer) return;
  while (!q.pending.empty()) {
    PendingDelete d = q.pending.back();
    q.pending.pop_back();
    d.del(d.p);
  }
  q.active = false;
}

// Frees a value's storage and credits the render budget that was charged for it.
template <typename T>
struct StorageDeleter {
  std::shared_ptr<int64_t> live;
  int64_t bytes = 0;
  void operator()(T* p) noexcept {
    if (live) *live -= bytes;
    live.reset();
    deferred_delete(p);
  }
};

constexpr int64_t kBlockOverhead = 64;  // control block and allocator slack, per allocation

int64_t footprint(const std::string& s) {
  return static_cast<int64_t>(s.capacity()) + kBlockOverhead;
}
int64_t footprint(const std::vector<Value>& v) {
  return static_cast<int64_t>(v.capacity() * sizeof(Value)) + kBlockOverhead;
}
int64_t footprint(const ValueMap& m) {
  return static_cast<int64_t>(m.size() * (sizeof(ValueMap::Entry) + 2 * kBlockOverhead)) +
         kBlockOverhead;
}
int64_t footprint(const Function& f) {
  return static_cast<int64_t>(sizeof(Function) + f.name.size()) + kBlockOverhead;
}

// Charges the active render (if any) for `obj` and returns its shared storage.
template <typename T, typename Stored = T>
std::shared_ptr<Stored> make_storage(T&& obj, const char* what) {
  StorageDeleter<Stored> d;
  if (RenderBudget* b = active_budget()) {
    d.bytes = footprint(obj);
    reserve_memory(d.bytes, what);
    d.live = b->live();
    *d.live += d.bytes;
  }
  T* p = nullptr;
  try {
    p = new T(std::forward<T>(obj));
  } catch (...) {
    if (d.live) *d.live -= d.bytes;
    throw;
  }
  return std::shared_ptr<Stored>(p, std::move(d));  // on failure, d frees p and credits
}
}  // namespace

Value::Value(std::string s)
    : kind_(Kind::String),
      s_(make_storage<std::string, const std::string>(std::move(s), "a string")) {}

Value Value::undefined(std::string message) {
  Value v;
  v.s_ = make_storage<std::string, const std::string>(std::move(message), "a string");
  return v;
}

Value Value::none() {
  Value v;
  v.kind_ = Kind::None;
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::List;
  v.seq_ = make_storage(std::move(items), "a list");
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v = list(std::move(items));
  v.kind_ = Kind::Tuple;
  return v;
}

Value Value::dict(ValueMap m) {
  Value v;
  v.kind_ = Kind::Dict;
  v.map_ = make_storage(std::move(m), "a dict");
  return v;
}

Value Value::dict() {
  return dict(ValueMap{});
}

Value Value::namespace_(ValueMap m) {
  Value v = dict(std::move(m));
  v.kind_ = Kind::Namespace;
  return v;
}

Value Value::object(ValueMap m, std::string type_name) {
  Value v = dict(std::move(m));
  v.kind_ = Kind::Object;
  v.s_ = make_storage<std::string, const std::string>(std::move(type_name), "a string");
  return v;
}

Value Value::function(std::string name, NativeFn fn, bool accepts_undefined) {
  Value v;
  v.kind_ = Kind::Function;
  v.fn_ = make_storage(
      Function{std::move(name), std::move(fn), false, accepts_undefined, nullptr, Value()},
      "a function");
  return v;
}

Value Value::bound_method(std::string name, Value self, BoundMethod method) {
  Value v = function(std::move(name), nullptr);
  v.fn_->method = method;
  v.fn_->self = std::move(self);
  return v;
}

const void* Value::identity() const {
  switch (kind_) {
    case Kind::List:
    case Kind::Tuple:
      return seq_.get();
    case Kind::Dict:
    case Kind::Namespace:
    case Kind::Object:
      return map_.get();
    case Kind::Function:
      return fn_.get();
    default:
      return nullptr;
  }
}

void Value::account_growth() const {
  auto grow = [](auto* d, int64_t now) {
    if (!d || !d->live || now <= d->bytes) return;
    const int64_t delta = now - d->bytes;
    reserve_memory(delta, "growing a list or dict");
    d->bytes = now;
    *d->live += delta;
  };
  if (seq_) grow(std::get_deleter<StorageDeleter<std::vector<Value>>>(seq_), footprint(*seq_));
  if (map_) grow(std::get_deleter<StorageDeleter<ValueMap>>(map_), footprint(*map_));
}

WeakValue::WeakValue(const Value& v)
    : kind_(v.kind_), s_(v.s_), seq_(v.seq_), map_(v.map_), fn_(v.fn_) {}

bool WeakValue::expired() const {
  return seq_.expired() && map_.expired() && fn_.expired();
}

Value WeakValue::lock() const {
  Value v;
  v.seq_ = seq_.lock();
  v.map_ = map_.lock();
  v.fn_ = fn_.lock();
  if (!v.seq_ && !v.map_ && !v.fn_) return Value();
  v.kind_ = kind_;
  v.s_ = s_;
  return v;
}

namespace {
// The containers and functions a value references directly.
template <typename Visit>
void for_each_child(const Value& v, Visit visit) {
  switch (v.kind()) {
    case Kind::List:
    case Kind::Tuple:
      for (const auto& x : v.items()) visit(x);
      break;
    case Kind::Dict:
    case Kind::Namespace:
    case Kind::Object:
      for (const auto& [k, x] : v.map()) {
        visit(k);
        visit(x);
      }
      break;
    case Kind::Function:
      visit(v.fn().self);
      break;
    default:
      break;
  }
}
}  // namespace

// Python's cycle detection: among everything reachable from the candidates, a node whose
// references all come from other nodes is garbage unless a node referenced from outside
// reaches it. References hidden in closures count as outside ones, so this never frees
// something in use; it may leave a cycle through a closure alone.
void break_cycles(std::vector<WeakValue> candidates) {
  std::vector<Value> nodes;
  std::unordered_map<const void*, size_t> index;
  auto add = [&](const Value& v) {
    const void* id = v.identity();
    if (!id || index.count(id)) return;
    index.emplace(id, nodes.size());
    nodes.push_back(v);
  };
  for (const auto& w : candidates) add(w.lock());
  candidates.clear();
  if (nodes.empty()) return;
  for (size_t i = 0; i < nodes.size(); ++i) for_each_child(nodes[i], add);
  std::vector<long> refs(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Value& n = nodes[i];
    refs[i] = (n.seq_ ? n.seq_.use_count() : n.map_ ? n.map_.use_count() : n.fn_.use_count()) - 1;
  }
  for (const auto& n : nodes)
    for_each_child(n, [&](const Value& c) {
      if (const void* id = c.identity()) --refs[index.at(id)];
    });
  std::vector<bool> reachable(nodes.size(), false);
  std::vector<size_t> stack;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (refs[i] > 0) {
      reachable[i] = true;
      stack.push_back(i);
    }
  while (!stack.empty()) {
    const size_t i = stack.back();
    stack.pop_back();
    for_each_child(nodes[i], [&](const Value& c) {
      const void* id = c.identity();
      if (!id) return;
      const size_t j = index.at(id);
      if (!reachable[j]) {
        reachable[j] = true;
        stack.push_back(j);
      }
    });
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (reachable[i]) continue;
    Value& n = nodes[i];
    if (n.seq_) n.seq_->clear();
    if (n.map_) n.map_->clear();
    if (n.fn_) {
      n.fn_->self = Value();
      n.fn_->fn = nullptr;
    }
  }
}

Value Value::macro(std::string name, NativeFn fn) {
  Value v = function(std::move(name), std::move(fn), true);
  v.fn_->is_macro = true;
  return v;
}

double Value::as_double() const {
  return kind_ == Kind::Float ? f_ : static_cast<double>(i_);
}

const std::string& Value::undefined_message() const {
  return s_ ? *s_ : kDefaultUndefined;
}

const std::string& Value::type_name() const {
  return s_ ? *s_ : kDefaultUndefined;
}

void Value::require_defined() const {
  if (kind_ == Kind::Undefined) throw UndefinedError(undefined_message());
}

bool Value::truthy() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return false;
    case Kind::None:
      return false;
    case Kind::Bool:
    case Kind::Int:
      return i_ != 0;
    case Kind::Float:
      return f_ != 0.0;
    case Kind::String:
      return !s_->empty();
    case Kind::List:
    case Kind::Tuple:
      return !seq_->empty();
    case Kind::Dict:
      return !map_->empty();
    case Kind::Object: {
      const Value* items = map_->find("__iter__");  // range / dict views
      return !items || !items->items().empty();
    }
    default:
      return true;
  }
}

std::string Value::python_type() const {
  switch (kind_) {
    case Kind::Undefined:
      return "StrictUndefined";
    case Kind::None:
      return "NoneType";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "str";
    case Kind::List:
      return "list";
    case Kind::Tuple:
      return "tuple";
    case Kind::Dict:
      return "dict";
    case Kind::Namespace:
      return "Namespace";
    case Kind::Object:
      return type_name();
    case Kind::Function:
      return fn_->is_macro ? "Macro" : "function";
  }
  return "object";
}

std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  // sci = [-]D[.DDD]e[+-]XX ; split into sign, digits and decimal exponent.
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t epos = sci.find('e');
  int exp10 = std::stoi(sci.substr(epos + 1));
  std::string digits;
  for (size_t i = 0; i < epos; ++i)
    if (sci[i] != '.') digits += sci[i];
  int decpt = exp10 + 1;  // position of the decimal point relative to the digits
  std::string out;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out = "0." + std::string(-decpt, '0') + digits;
    } else if (decpt >= static_cast<int>(digits.size())) {
      out = digits + std::string(decpt - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    int e = decpt - 1;
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", e < 0 ? '-' : '+', std::abs(e));
    out += eb;
  }
  return neg ? "-" + out : out;
}

std::string string_repr(const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == static_cast<unsigned char>(q))
      out += std::string("\\") + q;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

// repr() with Python's guards: a container met again inside itself prints as [...] / {...} /
// (...) (pprint: "<Recursion on list with id=N>"), nesting past the render depth limit is an
// error, and the text may not outgrow the memory limit.
class ReprWriter {
 public:
  explicit ReprWriter(bool pprint)
      : pprint_(pprint), max_depth_(active_limits().max_render_depth), room_(memory_room()) {}

  void write(const Value& v, std::string& out, int64_t depth) {
    switch (v.kind_) {
      case Kind::List:
      case Kind::Tuple:
      case Kind::Dict:
      case Kind::Namespace:
        container(v, out, depth);
        return;
      case Kind::Object:
        object(v, out, depth);
        return;
      default:
        out += v.repr();
        check_size(out);
    }
  }

 private:
  void enter(int64_t depth) const {
    tick();
    if (depth > max_depth_)
      throw TemplateError(
          "maximum recursion depth exceeded while getting the repr of an object: values nest "
          "deeper than " +
          std::to_string(max_depth_) + " levels (" + LimitNames::kRenderDepth + ")");
    check_native_stack("repr()");
  }

  void check_size(const std::string& out) const {
    if (static_cast<int64_t>(out.size()) > room_)
      reserve_memory(static_cast<int64_t>(out.size()), "repr()");
  }

  bool recursion(const Value& v, std::string& out) const {
    const void* id = v.identity();
    for (const void* a : active_)
      if (a == id) {
        if (pprint_) {
          out += "<Recursion on " + v.python_type() +
                 " with id=" + std::to_string(reinterpret_cast<uintptr_t>(id)) + ">";
        } else {
          out += v.kind_ == Kind::Tuple ? "(...)" : v.is_sequence() ? "[...]" : "{...}";
        }
        return true;
      }
    return false;
  }

  void container(const Value& v, std::string& out, int64_t depth) {
    enter(depth);
    if (v.kind_ == Kind::Namespace) out += "<Namespace ";
    if (!recursion(v, out)) {
      active_.push_back(v.identity());
      if (v.is_sequence()) {
        const auto& items = *v.seq_;
        out += v.kind_ == Kind::Tuple ? "(" : "[";
        for (size_t i = 0; i < items.size(); ++i) {
          if (i) out += ", ";
          write(items[i], out, depth + 1);
        }
        out += v.kind_ == Kind::Tuple ? (items.size() == 1 ? ",)" : ")") : "]";
      } else {
        out += "{";
        bool first = true;
        for (const auto& [k, x] : *v.map_) {
          if (!first) out += ", ";
          first = false;
          write(k, out, depth + 1);
          out += ": ";
          write(x, out, depth + 1);
        }
        out += "}";
      }
      active_.pop_back();
    }
    if (v.kind_ == Kind::Namespace) out += ">";
    check_size(out);
  }

  // range() and dict views print their items; other objects print their __repr__.
  void object(const Value& v, std::string& out, int64_t depth) {
    enter(depth);
    const Value* r = v.map_->find("__repr__");
    const Value* items = v.map_->find("__iter__");
    if (r) {
      out += r->str();
    } else if (items && items->is_sequence()) {
      out += v.type_name() + "(";
      write(*items, out, depth + 1);
      out += ")";
    } else {
      out += "<" + v.type_name() + " object>";
    }
    check_size(out);
  }

  bool pprint_;
  int64_t max_depth_, room_;
  std::vector<const void*> active_;
};

std::string Value::str() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return "";
    case Kind::String:
      return *s_;
    case Kind::Object: {
      const Value* s = map_->find("__str__");  // objects that print like Python's str()
      return s ? s->str() : repr();
    }
    default:
      return repr();
  }
}

std::string Value::repr() const {
  switch (kind_) {
    case Kind::Undefined:
      return "Undefined";  // jinja2's StrictUndefined.__repr__ does not raise
    case Kind::None:
      return "None";
    case Kind::Bool:
      return i_ ? "True" : "False";
    case Kind::Int:
      return std::to_string(i_);
    case Kind::Float:
      return float_repr(f_);
    case Kind::String:
      return string_repr(*s_);
    case Kind::Function:
      return fn_->is_macro ? "<Macro '" + fn_->name + "'>" : "<function " + fn_->name + ">";
    default: {
      std::string out;
      ReprWriter(false).write(*this, out, 1);
      return out;
    }
  }
}

std::string pprint_repr(const Value& v) {
  std::string out;
  ReprWriter(true).write(v, out, 1);
  return out;
}

namespace {
[[noreturn]] void too_deep(const char* what) {
  throw TemplateError(std::string("maximum recursion depth exceeded ") + what +
                      ": values nest deeper than " +
                      std::to_string(active_limits().max_render_depth) + " levels (" +
                      LimitNames::kRenderDepth + ")");
}

void enter_value(int64_t depth, const char* what) {
  tick();
  if (depth > active_limits().max_render_depth) too_deep(what);
  check_native_stack("comparison");
}

std::string hash_key_at(const Value& v, int64_t depth);
bool equal_at(const Value& a, const Value& b, int64_t depth);
bool less_at(const Value& a, const Value& b, int64_t depth);
}  // namespace

std::string Value::hash_key() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return "";
    case Kind::None:
      return "N";
    case Kind::Bool:
    case Kind::Int:
      return "n" + std::to_string(i_);
    case Kind::Float:
      if (std::floor(f_) == f_ && std::fabs(f_) < 9.2e18)
        return "n" + std::to_string(static_cast<int64_t>(f_));
      return "f" + float_repr(f_);
    case Kind::String:
      return "s" + *s_;
    case Kind::Tuple:
      return hash_key_at(*this, 1);
    default:
      fail("unhashable type: '" + python_type() + "'");
  }
}

namespace {
std::string hash_key_at(const Value& v, int64_t depth) {
  if (v.kind() != Kind::Tuple) return v.hash_key();
  enter_value(depth, "while hashing");
  std::string k = "t(";
  for (const auto& x : v.items()) k += hash_key_at(x, depth + 1) + "\x1f";
  return k + ")";
}
}  // namespace

bool Value::same_as(const Value& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::None:
    case Kind::Undefined:
      return true;
    case Kind::Bool:
    case Kind::Int:
      return i_ == o.i_;
    case Kind::Float:
      return f_ == o.f_;
    case Kind::String:
      return s_ == o.s_ || *s_ == *o.s_;
    case Kind::List:
    case Kind::Tuple:
      return seq_ == o.seq_;
    case Kind::Function:
      return fn_ == o.fn_;
    default:
      return map_ == o.map_;
  }
}

namespace {
bool equal_at(const Value& a, const Value& b, int64_t depth) {
  a.require_defined();
  b.require_defined();
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() == b.as_double();
    return a.as_int() == b.as_int();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::None:
      return true;
    case Kind::String:
      return a.as_string() == b.as_string();
    case Kind::List:
    case Kind::Tuple: {
      if (a.identity() == b.identity()) return true;  // Python compares items by `is` first
      enter_value(depth, "in comparison");
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (!equal_at(x[i], y[i], depth + 1)) return false;
      return true;
    }
    case Kind::Dict: {
      if (a.identity() == b.identity()) return true;
      enter_value(depth, "in comparison");
      if (a.map().size() != b.map().size()) return false;
      for (const auto& [k, v] : a.map()) {
        const Value* o = b.map().find(k);
        if (!o || !equal_at(v, *o, depth + 1)) return false;
      }
      return true;
    }
    default:
      return a.same_as(b);
  }
}

bool less_at(const Value& a, const Value& b, int64_t depth) {
  a.require_defined();
  b.require_defined();
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() < b.as_double();
    return a.as_int() < b.as_int();
  }
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  if (a.is_sequence() && a.kind() == b.kind()) {
    enter_value(depth, "in comparison");
    const auto& x = a.items();
    const auto& y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (x[i].identity() && x[i].identity() == y[i].identity()) continue;
      if (equal_at(x[i], y[i], depth + 1)) continue;
      return less_at(x[i], y[i], depth + 1);
    }
    return x.size() < y.size();
  }
  fail("'<' not supported between instances of '" + a.python_type() + "' and '" + b.python_type() +
       "'");
}
}  // namespace

bool values_equal(const Value& a, const Value& b) {
  return equal_at(a, b, 1);
}

bool values_less(const Value& a, const Value& b) {
  return less_at(a, b, 1);
}

ValueMap::ValueMap(std::initializer_list<std::pair<std::string, Value>> init) {
  for (const auto& [k, v] : init) set(k, v);
}

const Value* ValueMap::find(const Value& key) const {
  auto it = index_.find(key.hash_key());
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

const Value* ValueMap::find(const std::string& key) const {
  auto it = index_.find("s" + key);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

Value* ValueMap::find_mut(const Value& key) {
  auto it = index_.find(key.hash_key());
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void ValueMap::set(const Value& key, Value v) {
  auto [it, inserted] = index_.emplace(key.hash_key(), entries_.size());
  if (inserted) {
    entries_.emplace_back(key, std::move(v));
  } else {
    entries_[it->second].second = std::move(v);
  }
}

bool ValueMap::erase(const Value& key) {
  auto it = index_.find(key.hash_key());
  if (it == index_.end()) return false;
  size_t pos = it->second;
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(pos));
  index_.erase(it);
  for (auto& [k, i] : index_)
    if (i > pos) --i;
  return true;
}

void ValueMap::clear() {
  entries_.clear();
  index_.clear();
}

}  // namespace fg::config::jinja
