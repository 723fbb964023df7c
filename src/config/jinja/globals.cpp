// Globals of spec §3.7: Jinja built-ins (range, dict, namespace, cycler, joiner, lipsum) and
// Forgather's path, time and platform-directory helpers.
#include <sys/time.h>
#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "config/jinja/budget.h"
#include "config/jinja/environment.h"
#include "config/jinja/paths.h"
#include "core/parse_number.h"

namespace fg::config::jinja {

namespace {

std::string str_arg(Args& a, size_t i, const char* name, const char* fn) {
  Value v = arg(a, i, name);
  v.require_defined();
  if (!v.is_string())
    throw TemplateError(std::string(fn) + "() expected str, got " + v.python_type());
  return v.as_string();
}

struct Clock {
  std::tm tm{};
  long usec = 0;
};

Clock clock_now(bool utc) {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  // FORGATHER_RENDER_TIME (seconds since the epoch) pins the clock: the ranks of one data-parallel
  // run render with rank 0's time, so their configs (dates, log directory names) are identical.
  if (const char* pinned = std::getenv("FORGATHER_RENDER_TIME"); pinned && *pinned) {
    tv.tv_sec = static_cast<time_t>(parse_int(pinned, "FORGATHER_RENDER_TIME", 0, 253402300799));
    tv.tv_usec = 0;
  }
  Clock c;
  time_t secs = tv.tv_sec;
  if (utc)
    gmtime_r(&secs, &c.tm);
  else
    localtime_r(&secs, &c.tm);
  c.usec = static_cast<long>(tv.tv_usec);
  return c;
}

std::string format_tm(const std::tm& tm, const std::string& fmt) {
  char buf[256];
  size_t n = std::strftime(buf, sizeof buf, fmt.c_str(), &tm);
  return std::string(buf, n);
}

std::string time_string(bool utc, const char* fmt) {
  return format_tm(clock_now(utc).tm, fmt);
}

// A datetime-like object: attributes year..microsecond, strftime(), isoformat(); prints like
// Python's datetime ("YYYY-MM-DD HH:MM:SS.ffffff").
Value datetime_now(bool utc) {
  Clock c = clock_now(utc);
  char us[16];
  std::snprintf(us, sizeof us, ".%06ld", c.usec);
  std::string date = format_tm(c.tm, "%Y-%m-%d"), time = format_tm(c.tm, "%H:%M:%S") + us;
  ValueMap m;
  m.set("year", Value(static_cast<int64_t>(c.tm.tm_year + 1900)));
  m.set("month", Value(static_cast<int64_t>(c.tm.tm_mon + 1)));
  m.set("day", Value(static_cast<int64_t>(c.tm.tm_mday)));
  m.set("hour", Value(static_cast<int64_t>(c.tm.tm_hour)));
  m.set("minute", Value(static_cast<int64_t>(c.tm.tm_min)));
  m.set("second", Value(static_cast<int64_t>(c.tm.tm_sec)));
  m.set("microsecond", Value(static_cast<int64_t>(c.usec)));
  m.set("__str__", Value(date + " " + time));
  std::tm tm = c.tm;
  m.set("strftime", Value::function("strftime", [tm](Args& a) {
          return Value(format_tm(tm, arg(a, 0, "format").str()));
        }));
  std::string iso = date + "T" + time;
  m.set("isoformat", Value::function("isoformat", [iso](Args&) { return Value(iso); }));
  return Value::object(std::move(m), "datetime.datetime");
}

int64_t int_arg(const Value& v) {
  v.require_defined();
  if (!v.is_int() && !v.is_bool())
    throw TemplateError("'" + v.python_type() + "' object cannot be interpreted as an integer");
  return v.as_int();
}

// range(): the length is worked out first (no stepping past the end, so no overflow) and
// jinja2's sandbox limit applies before anything is built.
Value range_fn(Args& a) {
  int64_t start = 0, stop = 0, step = 1;
  if (a.pos.size() == 1) {
    stop = int_arg(a.pos[0]);
  } else if (a.pos.size() >= 2 && a.pos.size() <= 3) {
    start = int_arg(a.pos[0]);
    stop = int_arg(a.pos[1]);
    if (a.pos.size() > 2) step = int_arg(a.pos[2]);
  } else {
    throw TemplateError("range expected at most 3 arguments, got " + std::to_string(a.pos.size()));
  }
  if (!a.kw.empty()) throw TemplateError("range() takes no keyword arguments");
  if (step == 0) throw TemplateError("range() arg 3 must not be zero");
  uint64_t count = 0;
  if (step > 0 && start < stop) {
    count = (static_cast<uint64_t>(stop) - static_cast<uint64_t>(start) - 1) /
                static_cast<uint64_t>(step) +
            1;
  } else if (step < 0 && stop < start) {
    const uint64_t mag = step == INT64_MIN ? uint64_t{1} << 63 : static_cast<uint64_t>(-step);
    count = (static_cast<uint64_t>(start) - static_cast<uint64_t>(stop) - 1) / mag + 1;
  }
  if (count > static_cast<uint64_t>(kMaxRange))
    throw TemplateError("Range too big. The sandbox blocks ranges larger than MAX_RANGE (" +
                        std::to_string(kMaxRange) + ").");
  std::vector<Value> out;
  out.reserve(count);
  int64_t i = start;
  for (uint64_t k = 0; k < count; ++k) {
    out.emplace_back(i);
    if (k + 1 < count) i += step;
  }
  std::string repr = "range(" + std::to_string(start) + ", " + std::to_string(stop) +
                     (step == 1 ? ")" : ", " + std::to_string(step) + ")");
  return make_view(std::move(out), "range", std::move(repr), true);
}

ValueMap map_from_args(Args& a, const char* fn) {
  ValueMap m;
  if (!a.pos.empty()) {
    const Value& src = a.pos[0];
    if (src.is_mapping() || src.kind() == Kind::Namespace) {
      for (const auto& [k, v] : src.map()) m.set(k, v);
    } else {
      for (const auto& kv : iterate(src)) {
        auto pair = iterate(kv);
        if (pair.size() != 2)
          throw TemplateError(std::string(fn) + "() update sequence element has wrong length");
        m.set(pair[0], pair[1]);
      }
    }
  }
  for (const auto& [k, v] : a.kw) m.set(k, v);
  return m;
}

// jinja2.utils.Cycler: the items and position live in the object's own (hidden) attributes and
// its methods hold the object, so a method that outlives the object keeps it alive.
Value cycler_next(const Value& self, Args&) {
  ValueMap& m = self.map();
  const std::vector<Value>& items = m.find("__items__")->items();
  const int64_t pos = m.find("__pos__")->as_int();
  Value v = items[static_cast<size_t>(pos)];
  const int64_t next = (pos + 1) % static_cast<int64_t>(items.size());
  m.set("__pos__", Value(next));
  m.set("current", items[static_cast<size_t>(next)]);
  return v;
}

Value cycler_reset(const Value& self, Args&) {
  ValueMap& m = self.map();
  m.set("__pos__", Value(0));
  m.set("current", m.find("__items__")->items()[0]);
  return Value::none();
}

Value cycler_fn(Args& a) {
  if (a.pos.empty()) throw TemplateError("at least one item has to be provided");
  ValueMap m;
  m.set("current", a.pos[0]);
  m.set("items", Value::list(a.pos));
  m.set("__items__", Value::tuple(a.pos));
  m.set("__pos__", Value(0));
  Value obj = Value::object(std::move(m), "jinja2.utils.Cycler");
  obj.map().set("next", Value::bound_method("next", obj, cycler_next));
  obj.map().set("reset", Value::bound_method("reset", obj, cycler_reset));
  note_cycle_candidate(obj, obj);  // it holds its own methods
  return obj;
}

Value joiner_fn(Args& a) {
  std::string sep = arg(a, 0, "sep", Value(", ")).str();
  auto used = std::make_shared<bool>(false);
  return Value::function("joiner", [sep, used](Args&) {
    if (!*used) {
      *used = true;
      return Value("");
    }
    return Value(sep);
  });
}

Value lipsum_fn(Args& a) {
  static const char* kWords[] = {"lorem",       "ipsum",      "dolor",      "sit",   "amet",
                                 "consectetur", "adipiscing", "elit",       "sed",   "do",
                                 "eiusmod",     "tempor",     "incididunt", "ut",    "labore",
                                 "et",          "dolore",     "magna",      "aliqua"};
  int64_t n = int_arg(arg(a, 0, "n", Value(5)));
  bool html = arg(a, 1, "html", Value(true)).truthy();
  int64_t mn = int_arg(arg(a, 2, "min", Value(20)));
  if (n > 0)
    reserve_memory(size_mul(n, size_add(16, size_mul(std::max<int64_t>(mn, 0), 16))), "lipsum()");
  std::string out;
  for (int64_t p = 0; p < n; ++p) {
    std::string para;
    for (int64_t w = 0; w < mn; ++w) para += (w ? " " : "") + std::string(kWords[(p * 7 + w) % 19]);
    if (!para.empty())
      para[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(para[0])));
    para += ".";
    out += (p ? "\n\n" : "") + (html ? "<p>" + para + "</p>" : para);
  }
  return Value(out);
}

// platformdirs on Linux: <base>[/appname[/version]].
Value platform_dir(Args& a, const char* var, const std::string& fallback) {
  std::string base = posix::env_dir(var, fallback);
  Value app = arg(a, 0, "appname", Value::none());
  if (app.is_string() && !app.as_string().empty()) {
    base = posix::join({base, app.as_string()});
    Value ver = arg(a, 2, "version", Value::none());
    if (ver.is_string() && !ver.as_string().empty()) base = posix::join({base, ver.as_string()});
  }
  return Value(base);
}

}  // namespace

void register_globals(Environment& env) {
  auto fn = [&env](const std::string& name, NativeFn f) {
    env.add_global(name, Value::function(name, std::move(f)));
  };
  fn("range", range_fn);
  fn("dict", [](Args& a) { return Value::dict(map_from_args(a, "dict")); });
  fn("namespace", [](Args& a) { return Value::namespace_(map_from_args(a, "namespace")); });
  fn("cycler", cycler_fn);
  fn("joiner", joiner_fn);
  fn("lipsum", lipsum_fn);
  fn("isotime", [](Args&) { return Value(time_string(false, "%Y-%m-%dT%H:%M:%S")); });
  fn("utcisotime", [](Args&) { return Value(time_string(true, "%Y-%m-%dT%H:%M:%S")); });
  fn("filetime", [](Args&) { return Value(time_string(false, "%Y-%m-%dT%H-%M-%S")); });
  fn("utcfiletime", [](Args&) { return Value(time_string(true, "%Y-%m-%dT%H-%M-%S")); });
  fn("now", [](Args&) { return datetime_now(false); });
  fn("utcnow", [](Args&) { return datetime_now(true); });
  fn("joinpath", [](Args& a) {
    std::vector<std::string> parts;
    for (size_t i = 0; i < a.pos.size(); ++i) parts.push_back(str_arg(a, i, "path", "joinpath"));
    if (parts.empty())
      throw TemplateError("joinpath() missing 1 required positional argument: 'a'");
    return Value(posix::join(parts));
  });
  fn("normpath", [](Args& a) { return Value(posix::normpath(str_arg(a, 0, "path", "normpath"))); });
  fn("abspath", [](Args& a) { return Value(posix::abspath(str_arg(a, 0, "path", "abspath"))); });
  fn("relpath", [](Args& a) {
    std::string start =
        has_arg(a, 1, "start") ? str_arg(a, 1, "start", "relpath") : posix::getcwd();
    return Value(posix::relpath(str_arg(a, 0, "path", "relpath"), start));
  });
  fn("dirname", [](Args& a) { return Value(posix::dirname(str_arg(a, 0, "p", "dirname"))); });
  fn("basename", [](Args& a) { return Value(posix::basename(str_arg(a, 0, "p", "basename"))); });
  fn("splitext", [](Args& a) {
    auto [root, ext] = posix::splitext(str_arg(a, 0, "p", "splitext"));
    return Value::tuple({Value(root), Value(ext)});
  });
  fn("modname_from_path", [](Args& a) {
    return Value(posix::splitext(posix::basename(str_arg(a, 0, "p", "modname_from_path"))).first);
  });
  fn("repr", [](Args& a) { return Value(arg(a, 0, "obj").repr()); });
  fn("user_home_dir", [](Args&) { return Value(posix::home_dir()); });
  fn("getcwd", [](Args&) { return Value(posix::getcwd()); });
  const std::string home = posix::home_dir();
  fn("forgather_config_dir", [home](Args&) {
    return Value(posix::join({posix::env_dir("XDG_CONFIG_HOME", home + "/.config"), "forgather"}));
  });
  fn("user_data_dir",
     [home](Args& a) { return platform_dir(a, "XDG_DATA_HOME", home + "/.local/share"); });
  fn("user_cache_dir",
     [home](Args& a) { return platform_dir(a, "XDG_CACHE_HOME", home + "/.cache"); });
  fn("user_config_dir",
     [home](Args& a) { return platform_dir(a, "XDG_CONFIG_HOME", home + "/.config"); });
  fn("site_data_dir", [](Args& a) { return platform_dir(a, "XDG_DATA_DIRS", "/usr/local/share"); });
  fn("site_config_dir", [](Args& a) { return platform_dir(a, "XDG_CONFIG_DIRS", "/etc/xdg"); });
}

}  // namespace fg::config::jinja
