// Builtin constructors (spec-config-cli §4.9 item 2 and what the template library uses).
#include <filesystem>

#include "config/materializer.h"
#include "config/registry.h"
#include "core/parse_number.h"
#include "core/strings.h"

namespace fg::config {
namespace {

namespace fs = std::filesystem;

// Registration with the entry's capability stated (registry.h): values and containers are pure;
// path helpers see the file system.
void add_pure(Registry& r, const std::string& name, std::vector<std::string> aliases,
              std::string summary, std::function<Object(CallArgs&)> build) {
  r.add(name, std::move(aliases), std::move(summary), std::move(build), Capability::kPure);
}
void add_path(Registry& r, const std::string& name, std::vector<std::string> aliases,
              std::string summary, std::function<Object(CallArgs&)> build) {
  r.add(name, std::move(aliases), std::move(summary), std::move(build), Capability::kFileSystem);
}

Object container_arg(CallArgs& a, const char* what) {
  Object o = a.required(what, 0);
  a.finish();
  return o;
}

Object getitem(CallArgs& a) {
  const Object& obj = a.required("obj", 0);
  const Object& key = a.required("key", 1);
  a.finish();
  if (obj.type() == Object::Type::kDict) {
    if (const Object* v = obj.find(key.as_string())) return *v;
    std::vector<std::string> keys;
    for (const auto& [k, v] : obj.as_dict()) keys.push_back(k);
    a.fail("key '" + key.as_string() + "' not found" + did_you_mean(key.as_string(), keys) +
           "; keys: " + join(keys, ", "));
  }
  const auto& list = obj.as_list();
  int64_t i = key.as_int();
  const auto n = static_cast<int64_t>(list.size());
  if (i < 0) i += n;
  if (i < 0 || i >= n)
    a.fail("index " + std::to_string(key.as_int()) + " out of range for a list of " +
           std::to_string(n));
  return list[i];
}

Object getattr_builtin(CallArgs& a) {
  const Object& obj = a.required("obj", 0);
  const std::string name = a.required("name", 1).as_string();
  const Object* fallback = a.get("default", 2);
  a.finish();
  if (obj.type() == Object::Type::kDict) {
    if (const Object* v = obj.find(name)) return *v;
  } else if (auto attrs = obj.attributes()) {
    Object out;
    if (attrs->attribute(name, &out)) return out;
    if (!fallback)
      a.fail("'" + obj.type_name() + "' has no attribute '" + name + "'" +
             did_you_mean(name, attrs->attribute_names()));
  }
  if (fallback) return *fallback;
  a.fail("'" + obj.type_name() + "' has no attribute '" + name + "'");
}

Object len_builtin(CallArgs& a) {
  const Object o = container_arg(a, "obj");
  if (o.type() == Object::Type::kString) return Object::integer(o.as_string().size());
  if (o.type() == Object::Type::kDict) return Object::integer(o.as_dict().size());
  if (o.type() == Object::Type::kList) return Object::integer(o.as_list().size());
  if (auto attrs = o.attributes()) {
    Object n;
    if (attrs->attribute("__len__", &n)) return n;
  }
  o.fail_expected("a string, list, dict or a component with a length");
}

Object call_builtin(CallArgs& a) {
  if (a.positional().empty()) a.fail("missing required argument 'fn'");
  Object fn = a.positional().front();
  CallArgs inner(a.rest_positional(1), a.rest_keywords(), fn.callable_name(), a.where(),
                 a.key_path());
  return fn.call(inner);
}

Object path_join(CallArgs& a) {
  fs::path p;
  for (const auto& part : a.rest_positional(0)) p /= part.as_string();
  a.finish();
  return Object::string(p.string());
}

Object dependency_list(CallArgs& a) {
  // Constructs every argument (already done by materialisation); the value is the first.
  ObjectList all = a.rest_positional(0);
  a.finish();
  return all.empty() ? Object::none() : all.front();
}

// !meta/!partial: builds `factory` (a raw node) in a fresh materialiser whose context variables
// are the entries of `config` (plus any other keyword arguments) - the C++ replacement for the
// original's generated `construct_model(**config)`. Fresh: every call builds a new model.
Object construct_model(CallArgs& a, BuildContext& ctx) {
  const NodePtr factory = Materializer::unwrap_node(a.required("factory", 0));
  const NodePtr config = Materializer::unwrap_node(a.required("config", 1));
  Context vars = ctx.vars ? *ctx.vars : Context{};
  const Object cfg = ctx.materializer->materialize(config, vars, 1);
  for (const auto& [k, v] : cfg.as_dict()) vars[k] = v;
  for (const auto& [k, v] : a.rest_keywords())
    vars[k] = v.type_name() == "config.Node"
                  ? ctx.materializer->materialize(Materializer::unwrap_node(v), vars, 1)
                  : v;
  a.finish();
  Materializer fresh(ctx.materializer->registry(), ctx.materializer->graph());
  return fresh.materialize(factory, vars, 0);
}

void add_containers(Registry& r) {
  add_pure(r, "named_list", {"list"}, "A list of the positional arguments", [](CallArgs& a) {
    ObjectList l = a.rest_positional(0);
    a.finish();
    return Object::list(l);
  });
  add_pure(r, "named_tuple", {"tuple"}, "A tuple of the positional arguments", [](CallArgs& a) {
    ObjectList l = a.rest_positional(0);
    a.finish();
    return Object::list(l, true);
  });
  add_pure(r, "named_dict", {"dict"}, "A dict of the keyword arguments", [](CallArgs& a) {
    ObjectDict d = a.rest_keywords();
    a.finish();
    return Object::dict(d);
  });
  add_pure(r, "items", {}, "The (key, value) pairs of a dict", [](CallArgs& a) {
    ObjectList out;
    for (const auto& [k, v] : container_arg(a, "obj").as_dict())
      out.push_back(Object::list({Object::string(k), v}, true));
    return Object::list(out);
  });
  add_pure(r, "keys", {}, "The keys of a dict", [](CallArgs& a) {
    ObjectList out;
    for (const auto& [k, v] : container_arg(a, "obj").as_dict()) out.push_back(Object::string(k));
    return Object::list(out);
  });
  add_pure(r, "values", {}, "The values of a dict", [](CallArgs& a) {
    ObjectList out;
    for (const auto& [k, v] : container_arg(a, "obj").as_dict()) out.push_back(v);
    return Object::list(out);
  });
}

void add_scalars(Registry& r) {
  add_pure(r, "str", {}, "String conversion (repr of non-strings)", [](CallArgs& a) {
    Object o = container_arg(a, "obj");
    return o.type() == Object::Type::kString ? o : Object::string(o.repr());
  });
  add_pure(r, "int", {}, "Integer conversion", [](CallArgs& a) {
    Object o = container_arg(a, "obj");
    if (o.type() == Object::Type::kString) return Object::integer(parse_int(o.as_string(), "int"));
    if (o.type() == Object::Type::kBool) return Object::integer(o.as_bool());
    if (o.type() == Object::Type::kInt) return o;
    const double d = o.as_double();
    // 2^63 is exact as a double; anything at or beyond it does not fit.
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0))
      a.fail("int() expected a number that fits a 64-bit integer, found " + o.repr());
    return Object::integer(static_cast<int64_t>(d));
  });
  add_pure(r, "float", {}, "Float conversion", [](CallArgs& a) {
    Object o = container_arg(a, "obj");
    if (o.type() == Object::Type::kString)
      return Object::real(parse_double(o.as_string(), "float"));
    return Object::real(o.as_double());
  });
  add_pure(r, "bool", {}, "Bool conversion", [](CallArgs& a) {
    Object o = container_arg(a, "obj");
    switch (o.type()) {
      case Object::Type::kNone:
        return Object::boolean(false);
      case Object::Type::kBool:
        return o;
      case Object::Type::kInt:
        return Object::boolean(o.as_int() != 0);
      case Object::Type::kDouble:
        return Object::boolean(o.as_double() != 0);
      case Object::Type::kString:
        return Object::boolean(!o.as_string().empty());
      default:
        return Object::boolean(true);
    }
  });
}

}  // namespace

void register_core_builtins(Registry& r) {
  RegistryEntry model;
  model.name = "forgather.ml.construct:construct_model";
  model.summary = "Build a model sub-graph with model_config entries bound to its !vars";
  model.args = {{"factory", "node", "", "the model's root node (e.g. *model_factory)"},
                {"config", "node", "", "a mapping of hyper-parameters (e.g. *model_config)"}};
  model.build = construct_model;
  model.meta = true;
  model.capability = Capability::kMeta;
  r.add(std::move(model));
  add_containers(r);
  add_scalars(r);
  add_pure(r, "getitem", {"operator:getitem"}, "obj[key] for dicts and lists", getitem);
  add_pure(r, "getattr", {}, "An attribute of a component or a dict entry", getattr_builtin);
  add_pure(r, "len", {}, "Length of a string, list, dict or sized component", len_builtin);
  add_pure(r, "call", {}, "call(fn, *args, **kwargs)", call_builtin);
  add_path(r, "os.path:join", {"joinpath"}, "Path join", path_join);
  add_path(r, "os.path:abspath", {}, "Absolute path", [](CallArgs& a) {
    return Object::string(fs::absolute(container_arg(a, "path").as_string()).lexically_normal());
  });
  add_path(r, "os.path:basename", {}, "Last path component", [](CallArgs& a) {
    return Object::string(fs::path(container_arg(a, "path").as_string()).filename());
  });
  add_path(r, "os.path:dirname", {}, "Path without its last component", [](CallArgs& a) {
    return Object::string(fs::path(container_arg(a, "path").as_string()).parent_path());
  });
  add_pure(r, "forgather.ml.construct:dependency_list", {},
           "Builds all arguments; returns the first", dependency_list);
  add_pure(r, "operator:add", {}, "a + b for numbers, strings and lists", [](CallArgs& a) {
    const Object x = a.required("a", 0), y = a.required("b", 1);
    a.finish();
    if (x.type() == Object::Type::kInt && y.type() == Object::Type::kInt) {
      int64_t sum = 0;
      if (__builtin_add_overflow(x.as_int(), y.as_int(), &sum))
        a.fail("operator:add " + x.repr() + " + " + y.repr() + " overflows a 64-bit integer");
      return Object::integer(sum);
    }
    if (x.type() == Object::Type::kString) return Object::string(x.as_string() + y.as_string());
    if (x.type() == Object::Type::kList) {
      ObjectList l = x.as_list();
      for (const auto& i : y.as_list()) l.push_back(i);
      return Object::list(l);
    }
    return Object::real(x.as_double() + y.as_double());
  });
}

}  // namespace fg::config
