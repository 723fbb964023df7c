// Filters over sequences and mappings (jinja2/filters.py semantics; lazy generators become
// lists).
#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {

using Items = std::vector<Value>;

// Jinja's make_attrgetter: dotted path, integer parts index.
Value get_path(const Value& v, const std::string& path) {
  Value cur = v;
  size_t b = 0;
  while (b <= path.size()) {
    size_t e = path.find('.', b);
    std::string part = path.substr(b, e == std::string::npos ? std::string::npos : e - b);
    bool numeric = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    int64_t index = 0;
    if (numeric)
      numeric = std::from_chars(part.data(), part.data() + part.size(), index).ec == std::errc();
    cur = get_item(cur, numeric ? Value(index) : Value(part));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return cur;
}

Value fold_case(const Value& v, bool case_sensitive) {
  if (case_sensitive || !v.is_string()) return v;
  return Value(utf8::lower(v.as_string()));
}

// Sort key for `sort`/`min`/`max`/`unique`: attribute (comma-separated list allowed), case fold.
Value sort_key(const Value& v, const Value& attribute, bool case_sensitive) {
  if (attribute.is_none() || attribute.is_undefined()) return fold_case(v, case_sensitive);
  if (!attribute.is_string()) return fold_case(get_item(v, attribute), case_sensitive);
  const std::string& a = attribute.as_string();
  if (a.find(',') == std::string::npos) return fold_case(get_path(v, a), case_sensitive);
  Items parts;
  size_t b = 0;
  while (true) {
    size_t e = a.find(',', b);
    parts.push_back(
        fold_case(get_path(v, a.substr(b, e == std::string::npos ? e : e - b)), case_sensitive));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return Value::tuple(std::move(parts));
}

Value do_sort(const Value& v, Args& a) {
  bool reverse = arg(a, 0, "reverse", Value(false)).truthy();
  bool cs = arg(a, 1, "case_sensitive", Value(false)).truthy();
  Value attribute = arg(a, 2, "attribute", Value::none());
  Items items = iterate(v);
  std::vector<std::pair<Value, Value>> keyed;
  for (auto& x : items) keyed.emplace_back(sort_key(x, attribute, cs), x);
  std::stable_sort(keyed.begin(), keyed.end(), [reverse](const auto& x, const auto& y) {
    return reverse ? values_less(y.first, x.first) : values_less(x.first, y.first);
  });
  Items out;
  for (auto& [k, x] : keyed) out.push_back(x);
  return Value::list(std::move(out));
}

Value do_dictsort(const Value& v, Args& a) {
  bool cs = arg(a, 0, "case_sensitive", Value(false)).truthy();
  std::string by = arg(a, 1, "by", Value("key")).str();
  bool reverse = arg(a, 2, "reverse", Value(false)).truthy();
  if (!v.is_mapping()) throw TemplateError("dictsort: expected a mapping, got " + v.python_type());
  if (by != "key" && by != "value")
    throw TemplateError("You can only sort by either \"key\" or \"value\"");
  Items pairs;
  for (const auto& [k, x] : v.map()) pairs.push_back(Value::tuple({k, x}));
  size_t idx = by == "key" ? 0 : 1;
  std::stable_sort(pairs.begin(), pairs.end(), [&](const Value& x, const Value& y) {
    Value kx = fold_case(x.items()[idx], cs), ky = fold_case(y.items()[idx], cs);
    return reverse ? values_less(ky, kx) : values_less(kx, ky);
  });
  return Value::list(std::move(pairs));
}

Value do_minmax(const Value& v, Args& a, bool is_max) {
  bool cs = arg(a, 0, "case_sensitive", Value(false)).truthy();
  Value attribute = arg(a, 1, "attribute", Value::none());
  Items items = iterate(v);
  if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
  size_t best = 0;
  for (size_t i = 1; i < items.size(); ++i) {
    Value ki = sort_key(items[i], attribute, cs), kb = sort_key(items[best], attribute, cs);
    if (is_max ? values_less(kb, ki) : values_less(ki, kb)) best = i;
  }
  return items[best];
}

Value do_unique(const Value& v, Args& a) {
  bool cs = arg(a, 0, "case_sensitive", Value(false)).truthy();
  Value attribute = arg(a, 1, "attribute", Value::none());
  Items out;
  ValueMap seen;
  for (const auto& x : iterate(v)) {
    Value k = sort_key(x, attribute, cs);
    if (seen.find(k)) continue;
    seen.set(k, Value(true));
    out.push_back(x);
  }
  return Value::list(std::move(out));
}

Value do_sum(const Value& v, Args& a) {
  Value attribute = arg(a, 0, "attribute", Value::none());
  Value total = arg(a, 1, "start", Value(0));
  for (const auto& x : iterate(v))
    total = binary_op("+", total, attribute.is_none() ? x : get_path(x, attribute.str()));
  return total;
}

Value do_join(const Value& v, Args& a) {
  std::string sep = arg(a, 0, "d", Value("")).str();
  Value attribute = arg(a, 1, "attribute", Value::none());
  std::vector<std::string> parts;
  int64_t total = 0;
  for (const auto& x : iterate(v)) {
    parts.push_back((attribute.is_none() ? x : get_path(x, attribute.str())).str());
    total = size_add(total, size_add(static_cast<int64_t>(parts.back().size()),
                                     static_cast<int64_t>(sep.size())));
    reserve_memory(total, "join()");
  }
  std::string out;
  out.reserve(static_cast<size_t>(total));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return Value(std::move(out));
}

Value do_map(const Builtins& b, const Value& v, Args& a) {
  Items out;
  Value attribute = kwarg(a, "attribute", Value::none());
  if (!attribute.is_none()) {
    Value dflt = kwarg(a, "default");
    for (const auto& x : iterate(v)) {
      Value r = get_path(x, attribute.str());
      out.push_back(r.is_undefined() && !dflt.is_undefined() ? dflt : r);
    }
    return Value::list(std::move(out));
  }
  if (a.pos.empty()) throw TemplateError("map requires a filter argument");
  std::string name = a.pos[0].str();
  // The arguments are copied once per nesting level: charge them, so map('map', 'map', ...)
  // over a deep list cannot hold a quadratic amount of memory.
  ScopedCharge charge(size_mul(static_cast<int64_t>(a.pos.size() + a.kw.size()), 2 * sizeof(Value)),
                      "map() arguments");
  Args rest;
  rest.pos.assign(a.pos.begin() + 1, a.pos.end());
  rest.kw = a.kw;
  for (const auto& x : iterate(v)) {
    Args copy = rest;
    out.push_back(b.filter(name, x, copy));
  }
  return Value::list(std::move(out));
}

Value do_select(const Builtins& b, const Value& v, Args& a, bool attr, bool keep) {
  size_t off = 0;
  std::string attribute;
  if (attr) {
    if (a.pos.empty()) throw TemplateError("Missing parameter for attribute name");
    attribute = a.pos[0].str();
    off = 1;
  }
  bool has_test = a.pos.size() > off;
  std::string test = has_test ? a.pos[off].str() : "";
  ScopedCharge charge(size_mul(static_cast<int64_t>(a.pos.size()), 2 * sizeof(Value)),
                      "select() arguments");
  Args rest;
  if (has_test) rest.pos.assign(a.pos.begin() + static_cast<std::ptrdiff_t>(off) + 1, a.pos.end());
  Items out;
  for (const auto& x : iterate(v)) {
    Value item = attr ? get_path(x, attribute) : x;
    bool ok;
    if (has_test) {
      Args copy = rest;
      ok = b.test(test, item, copy);
    } else {
      ok = item.truthy();
    }
    if (ok == keep) out.push_back(x);
  }
  return Value::list(std::move(out));
}

Value do_batch(const Value& v, Args& a) {
  int64_t n = int_value(arg(a, 0, "linecount"));
  Value fill = arg(a, 1, "fill_with", Value::none());
  if (n <= 0) throw TemplateError("batch size must be positive");
  if (!fill.is_none()) reserve_memory(size_mul(n, sizeof(Value)), "batch() with fill_with");
  Items out, tmp;
  for (const auto& x : iterate(v)) {
    if (static_cast<int64_t>(tmp.size()) == n) {
      out.push_back(Value::list(std::move(tmp)));
      tmp.clear();
    }
    tmp.push_back(x);
  }
  if (!tmp.empty()) {
    if (!fill.is_none())
      while (static_cast<int64_t>(tmp.size()) < n) tmp.push_back(fill);
    out.push_back(Value::list(std::move(tmp)));
  }
  return Value::list(std::move(out));
}

Value do_slice(const Value& v, Args& a) {
  int64_t slices = int_value(arg(a, 0, "slices"));
  Value fill = arg(a, 1, "fill_with", Value::none());
  if (slices == 0) throw TemplateError("integer division or modulo by zero");
  if (slices < 0) return Value::list();  // range(slices) is empty
  reserve_memory(size_mul(slices, 2 * sizeof(Value) + 128), "slice()");
  Items seq = iterate(v), out;
  int64_t length = static_cast<int64_t>(seq.size());
  int64_t per = length / slices, extra = length % slices, offset = 0;
  for (int64_t i = 0; i < slices; ++i) {
    int64_t start = offset + i * per;
    if (i < extra) ++offset;
    int64_t end = offset + (i + 1) * per;
    Items part(seq.begin() + start, seq.begin() + end);
    if (!fill.is_none() && i >= extra) part.push_back(fill);
    out.push_back(Value::list(std::move(part)));
  }
  return Value::list(std::move(out));
}

// groupby: (grouper, list) pairs sorted by the key; each unpacks like a tuple and has
// .grouper / .list like jinja2's _GroupTuple.
Value do_groupby(const Value& v, Args& a) {
  Value attribute = arg(a, 0, "attribute");
  Value dflt = arg(a, 1, "default", Value::none());
  bool cs = arg(a, 2, "case_sensitive", Value(false)).truthy();
  auto key_of = [&](const Value& x) {
    Value k = attribute.is_string() ? get_path(x, attribute.as_string()) : get_item(x, attribute);
    return k.is_undefined() && !dflt.is_none() ? dflt : k;
  };
  Args sort_args;
  sort_args.kw = {{"attribute", attribute}, {"case_sensitive", Value(cs)}};
  Items sorted = do_sort(v, sort_args).items();
  Items out;
  for (size_t i = 0; i < sorted.size();) {
    Value key = fold_case(key_of(sorted[i]), cs);
    Items group;
    size_t j = i;
    while (j < sorted.size() && values_equal(fold_case(key_of(sorted[j]), cs), key))
      group.push_back(sorted[j++]);
    Value grouper = key_of(sorted[i]);
    Value list = Value::list(group);
    ValueMap m;
    m.set("grouper", grouper);
    m.set("list", list);
    m.set("__iter__", Value::tuple({grouper, list}));
    m.set("__str__", Value(Value::tuple({grouper, list}).repr()));
    m.set("__repr__", Value(Value::tuple({grouper, list}).repr()));
    out.push_back(Value::object(std::move(m), "jinja2.filters._GroupTuple"));
    i = j;
  }
  return Value::list(std::move(out));
}

}  // namespace

void register_collection_filters(Builtins& b) {
  b.add_filter("groupby",
               [](const Builtins&, const Value& v, Args& a) { return do_groupby(v, a); });
  b.add_filter("sort", [](const Builtins&, const Value& v, Args& a) { return do_sort(v, a); });
  b.add_filter("dictsort",
               [](const Builtins&, const Value& v, Args& a) { return do_dictsort(v, a); });
  b.add_filter("min",
               [](const Builtins&, const Value& v, Args& a) { return do_minmax(v, a, false); });
  b.add_filter("max",
               [](const Builtins&, const Value& v, Args& a) { return do_minmax(v, a, true); });
  b.add_filter("unique", [](const Builtins&, const Value& v, Args& a) { return do_unique(v, a); });
  b.add_filter("sum", [](const Builtins&, const Value& v, Args& a) { return do_sum(v, a); });
  b.add_filter("join", [](const Builtins&, const Value& v, Args& a) { return do_join(v, a); });
  b.add_filter("map", [](const Builtins& bb, const Value& v, Args& a) { return do_map(bb, v, a); });
  b.add_filter("select", [](const Builtins& bb, const Value& v, Args& a) {
    return do_select(bb, v, a, false, true);
  });
  b.add_filter("reject", [](const Builtins& bb, const Value& v, Args& a) {
    return do_select(bb, v, a, false, false);
  });
  b.add_filter("selectattr", [](const Builtins& bb, const Value& v, Args& a) {
    return do_select(bb, v, a, true, true);
  });
  b.add_filter("rejectattr", [](const Builtins& bb, const Value& v, Args& a) {
    return do_select(bb, v, a, true, false);
  });
  b.add_filter("batch", [](const Builtins&, const Value& v, Args& a) { return do_batch(v, a); });
  b.add_filter("slice", [](const Builtins&, const Value& v, Args& a) { return do_slice(v, a); });
  b.add_filter("list",
               [](const Builtins&, const Value& v, Args&) { return Value::list(iterate(v)); });
  b.add_filter("first", [](const Builtins&, const Value& v, Args&) {
    Items items = iterate(v);
    return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
  });
  b.add_filter("last", [](const Builtins&, const Value& v, Args&) {
    Items items = iterate(v);
    return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
  });
  b.add_filter("reverse", [](const Builtins&, const Value& v, Args&) {
    if (v.is_string()) {
      std::string s = v.as_string();
      std::reverse(s.begin(), s.end());
      return Value(s);
    }
    Items items = iterate(v);
    std::reverse(items.begin(), items.end());
    return Value::list(std::move(items));
  });
  b.add_filter(
      "items",
      [](const Builtins&, const Value& v, Args&) {
        Items out;
        if (v.is_undefined()) return Value::list();
        if (!v.is_mapping()) throw TemplateError("Can only get item pairs from a mapping.");
        for (const auto& [k, x] : v.map()) out.push_back(Value::tuple({k, x}));
        return Value::list(std::move(out));
      },
      true);
  b.add_filter("attr", [](const Builtins&, const Value& v, Args& a) {
    return get_attr(v, arg(a, 0, "name").str());
  });
}

}  // namespace fg::config::jinja
