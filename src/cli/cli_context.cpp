#include "cli/cli_context.h"

#include <fstream>
#include <iostream>
#include <string_view>

#include "cli/number_options.h"
#include "config/plain_value.h"
#include "core/checked_fs.h"
#include "core/parse_number.h"
#include "core/strings.h"

namespace fg::cli {

namespace {

// A --set value that YAML reads as a decimal number must be one that fits: YAML would make an
// oversized integer a string and fail on an oversized float without naming anything.
// Matches YAML's decimal forms without std::regex, whose backtracking recurses once per
// character (a long --set value overflowed the stack): [-+]?D(D|_)* is an integer, and
// [-+]?(D(D|_)*)?.(D|_)*([eE][-+]?D+)? or [-+]?D(D|_)*[eE][-+]?D+ a float.
enum class NumberForm { kNone, kInteger, kReal };

NumberForm decimal_form(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  const size_t int_start = i;
  while (i < t.size() && (digit(t[i]) || (t[i] == '_' && i > int_start))) ++i;
  const bool has_int = i > int_start;
  if (has_int && !digit(t[int_start])) return NumberForm::kNone;
  if (i == t.size()) return has_int ? NumberForm::kInteger : NumberForm::kNone;
  bool has_point = false;
  if (t[i] == '.') {
    has_point = true;
    ++i;
    while (i < t.size() && (digit(t[i]) || t[i] == '_')) ++i;
  }
  if (!has_int && !has_point) return NumberForm::kNone;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    if (!has_int && !has_point) return NumberForm::kNone;
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    const size_t exp_start = i;
    while (i < t.size() && digit(t[i])) ++i;
    if (i == exp_start) return NumberForm::kNone;
    has_point = true;  // an exponent makes it a float
  }
  return i == t.size() && has_point ? NumberForm::kReal : NumberForm::kNone;
}

void check_set_number(const std::string& key, const std::string& value) {
  const std::string text(trim(value));
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;
  const std::string what = "--set " + key;
  const NumberForm form = decimal_form(text);
  if (form == NumberForm::kInteger) {
    parse_int(digits, what);
  } else if (form == NumberForm::kReal && digits.find_first_of("0123456789") != std::string::npos) {
    parse_double(digits, what);
  }
}

}  // namespace

std::ostream& CliContext::output() const {
  return out ? *out : std::cout;
}

config::jinja::ValueMap CliContext::dynamic_values(const CLI::App& sub) const {
  config::jinja::ValueMap vars;
  for (const auto& d : dynamic_args) {
    const CLI::Option* opt = sub.get_option_no_throw(d->names.front());
    if (!opt) continue;
    if (d->store_true) {
      vars.set(d->dest, config::jinja::Value(opt->count() > 0));
      continue;
    }
    if (opt->count() == 0) continue;
    const std::string flag = flag_name(join(d->names, ","));
    if (d->type == "int") {
      vars.set(d->dest, config::jinja::Value(parse_int(d->value, flag)));
    } else if (d->type == "float") {
      vars.set(d->dest, config::jinja::Value(parse_double(d->value, flag)));
    } else if (d->type == "bool") {
      const std::string v = to_lower(d->value);
      vars.set(d->dest, config::jinja::Value(v == "true" || v == "1" || v == "yes" || v == "on"));
    } else {
      vars.set(d->dest, config::jinja::Value(d->value));
    }
  }
  return vars;
}

config::Project CliContext::load_project(const CLI::App& sub, config::CommentMode mode) const {
  config::ProjectOptions opts;
  opts.config_name = config_template;
  opts.template_vars = dynamic_values(sub);
  opts.comment_mode = mode;
  config::Project project(project_dir, std::move(opts));
  for (const auto& s : sets) {
    const size_t eq = s.find('=');
    if (eq == std::string::npos)
      throw ConfigError("[--set] expected key.path=value, found '" + s + "'");
    check_set_number(s.substr(0, eq), s.substr(eq + 1));
    project.set_value(s.substr(0, eq), s.substr(eq + 1));
  }
  return project;
}

namespace {

std::shared_ptr<DynamicArg> parse_dynamic_arg(const config::Object& spec) {
  auto d = std::make_shared<DynamicArg>();
  const config::Object* names = spec.find("names");
  if (!names) spec.fail_expected("a dynamic arg with 'names'");
  if (names->type() == config::Object::Type::kString) {
    d->names.push_back(names->as_string());
  } else {
    for (const auto& n : names->as_list()) d->names.push_back(n.as_string());
  }
  for (const auto& n : d->names)
    if (starts_with(n, "--") && d->dest.empty()) d->dest = n.substr(2);
  if (d->dest.empty()) d->dest = d->names.front().substr(1);
  for (auto& c : d->dest)
    if (c == '-') c = '_';
  if (const auto* t = spec.find("type"); t && !t->is_none()) d->type = t->as_string();
  if (const auto* h = spec.find("help"); h && !h->is_none()) d->help = h->as_string();
  if (const auto* a = spec.find("action"); a && !a->is_none())
    d->store_true = a->as_string() == "store_true";
  if (const auto* c = spec.find("choices"); c && !c->is_none())
    for (const auto& x : c->as_list())
      d->choices.push_back(x.type() == config::Object::Type::kString ? x.as_string() : x.repr());
  return d;
}

}  // namespace

void load_dynamic_args(CliContext& ctx) {
  if (ctx.no_dyn || !ctx.registry) return;
  try {
    config::ProjectOptions opts;
    opts.config_name = ctx.config_template;
    config::Project project(ctx.project_dir, std::move(opts));
    const auto targets = project.graph().targets();
    if (std::find(targets.begin(), targets.end(), "dynamic_args") == targets.end()) return;
    config::Object specs = config::materialize_targets(project, *ctx.registry, {"dynamic_args"});
    for (const auto& spec : specs.as_list()) {
      if (spec.is_none()) continue;
      ctx.dynamic_args.push_back(parse_dynamic_arg(spec));
    }
  } catch (const std::exception& e) {
    std::cerr << "Loading dynamic args failed!\n" << e.what() << "\n";
  }
}

void add_dynamic_options(CLI::App& sub, CliContext& ctx) {
  for (auto& d : ctx.dynamic_args) {
    const std::string names = join(d->names, ",");
    if (d->store_true) {
      sub.add_flag(names, d->flag, d->help)->group("Config options");
      continue;
    }
    auto* opt = sub.add_option(names, d->value, d->help)->group("Config options");
    if (!d->choices.empty()) opt->check(CLI::IsMember(d->choices));
  }
}

void add_output_option(CLI::App& sub, std::string& path) {
  sub.add_option("-o,--output-file", path, "Write the output to this file");
}

void write_output(const CliContext& ctx, const std::string& path, const std::string& text) {
  if (path.empty()) {
    ctx.output() << text << "\n";
    return;
  }
  write_file_checked(path, text + "\n", "cli");
  ctx.output() << "Wrote output to " << path << "\n";
}

}  // namespace fg::cli
