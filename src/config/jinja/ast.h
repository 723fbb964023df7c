#pragma once
// AST of a compiled template. The evaluator walks it directly.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/jinja/value.h"

namespace fg::config::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

enum class ExprKind {
  Literal,  // value
  Name,     // name
  List,     // args
  Tuple,    // args
  Dict,     // args: key, value, key, value, ...
  Unary,    // op ("not", "-", "+"), a
  Binary,   // op, a, b  (arithmetic, "~", "and", "or")
  Compare,  // a, ops[i] applied to args[i] in a chain
  Cond,     // a if b else c (c may be null)
  GetAttr,  // a.name
  GetItem,  // a[b]
  Slice,    // a[args[0]:args[1]:args[2]] (null parts are omitted)
  Call,     // a(args, kwargs, *b, **c)
  Filter,   // a | name(args, kwargs); a null inside filter blocks
  Test,     // a is name(args, kwargs)
};

struct Expr {
  ExprKind kind;
  int64_t line = 0;
  int64_t depth = 1;  // height of this subtree; the parser bounds it (max_template_depth)
  Value value;
  std::string name;  // name, attribute, filter/test, or operator
  ExprPtr a, b, c;
  std::vector<ExprPtr> args;
  std::vector<std::pair<std::string, ExprPtr>> kwargs;
  std::vector<std::string> ops;  // Compare operators
};

enum class StmtKind {
  Output,       // text
  Print,        // expr
  If,           // tests[i] -> bodies[i]; else_body
  For,          // target, expr (iterable), cond (filter), body, else_body
  Set,          // target = expr
  SetBlock,     // target, body, filter (may be null)
  Block,        // name, body, scoped, required
  Extends,      // expr
  Include,      // expr, ignore_missing, with_context
  Import,       // expr as name
  FromImport,   // expr, names (name, alias)
  Macro,        // name, params, defaults, body
  CallBlock,    // expr (the call), params, defaults, body
  FilterBlock,  // filter (a Filter chain whose innermost `a` is null), body
  With,         // targets[i] = values[i], body
};

struct Stmt {
  StmtKind kind;
  int64_t line = 0;
  std::string text;  // Output text / block, macro, import alias name
  ExprPtr expr, target, cond, filter;
  std::vector<ExprPtr> tests;
  std::vector<Body> bodies;
  Body body, else_body;
  bool scoped = false, required = false, ignore_missing = false, with_context = false;
  bool recursive = false;
  std::vector<std::string> params;  // macro / call block parameter names
  std::vector<ExprPtr> defaults;    // aligned with params; null when no default
  std::vector<std::pair<std::string, std::string>> names;  // from-import (name, alias)
  std::vector<ExprPtr> targets, values;                    // with
  bool uses_varargs = false, uses_kwargs = false, uses_caller = false;
};

// A parsed template: top-level body plus its blocks by name (pointers into the body).
struct TemplateAst {
  Body body;
  std::vector<std::pair<std::string, const Stmt*>> blocks;
  bool has_extends = false;
  const Stmt* find_block(const std::string& name) const {
    for (const auto& [n, s] : blocks)
      if (n == name) return s;
    return nullptr;
  }
};

}  // namespace fg::config::jinja
