// Expression grammar, following jinja2/parser.py precedence:
// condexpr > or > and > not > compare > math1 (+ -) > concat (~) > math2 (* / // %) > pow >
// unary (- +) > primary + postfix (. [] ()) + filter/test chain.
#include <algorithm>
#include <charconv>
#include <cstdint>

#include "config/jinja/error.h"
#include "config/jinja/parser_impl.h"

namespace fg::config::jinja {

ExprPtr Parser::binary(const std::string& op, ExprPtr a, ExprPtr b, int64_t line) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Binary;
  e->line = line;
  e->name = op;
  e->a = std::move(a);
  e->b = std::move(b);
  return finish(std::move(e));
}

ExprPtr Parser::parse_expression(bool with_condexpr) {
  return with_condexpr ? parse_condexpr() : parse_or();
}

bool Parser::is_tuple_end(const std::vector<std::string>& extra_end) const {
  const Token& t = cur();
  if (t.type == Tok::VarEnd || t.type == Tok::BlockEnd || t.type == Tok::Eof) return true;
  if (t.type == Tok::Name &&
      std::find(extra_end.begin(), extra_end.end(), t.text) != extra_end.end())
    return true;
  return false;
}

ExprPtr Parser::parse_tuple(bool simplified, bool with_condexpr,
                            const std::vector<std::string>& extra_end, bool explicit_parens) {
  int64_t line = cur().line;
  std::vector<ExprPtr> items;
  bool is_tuple = false;
  while (true) {
    if (!items.empty()) expect_op(",");
    if (is_tuple_end(extra_end)) break;
    if (explicit_parens && is_op(")")) break;
    if (simplified) {
      items.push_back(parse_primary());
    } else {
      items.push_back(parse_expression(with_condexpr));
    }
    if (is_op(",")) {
      is_tuple = true;
    } else {
      break;
    }
  }
  if (!is_tuple) {
    if (!items.empty()) return std::move(items[0]);
    if (!explicit_parens)
      fail_at("Expected an expression, got '" + describe_token(cur()) + "'", cur().line);
  }
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Tuple;
  e->line = line;
  e->args = std::move(items);
  return finish(std::move(e));
}

ExprPtr Parser::parse_condexpr() {
  int64_t line = cur().line;
  ExprPtr expr1 = parse_or();
  while (skip_name("if")) {
    ExprPtr expr2 = parse_or();
    ExprPtr expr3;
    if (skip_name("else")) {
      Nest nest(*this);
      expr3 = parse_condexpr();
    }
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::Cond;
    e->line = line;
    e->a = std::move(expr1);
    e->b = std::move(expr2);
    e->c = std::move(expr3);
    expr1 = finish(std::move(e));
  }
  return expr1;
}

ExprPtr Parser::parse_or() {
  ExprPtr left = parse_and();
  while (is_name("or")) {
    int64_t line = next().line;
    left = binary("or", std::move(left), parse_and(), line);
  }
  return left;
}

ExprPtr Parser::parse_and() {
  ExprPtr left = parse_not();
  while (is_name("and")) {
    int64_t line = next().line;
    left = binary("and", std::move(left), parse_not(), line);
  }
  return left;
}

ExprPtr Parser::parse_not() {
  if (is_name("not")) {
    Nest nest(*this);
    auto e = new_expr(ExprKind::Unary);
    next();
    e->name = "not";
    e->a = parse_not();
    return finish(std::move(e));
  }
  return parse_compare();
}

ExprPtr Parser::parse_compare() {
  int64_t line = cur().line;
  ExprPtr expr = parse_math1();
  std::vector<std::string> ops;
  std::vector<ExprPtr> operands;
  while (true) {
    const Token& t = cur();
    if (t.type == Tok::Op && (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == ">" ||
                              t.text == "<=" || t.text == ">=")) {
      ops.push_back(next().text);
    } else if (is_name("in")) {
      next();
      ops.push_back("in");
    } else if (is_name("not") && toks_[pos_ + 1].type == Tok::Name &&
               toks_[pos_ + 1].text == "in") {
      next();
      next();
      ops.push_back("notin");
    } else {
      break;
    }
    operands.push_back(parse_math1());
  }
  if (ops.empty()) return expr;
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Compare;
  e->line = line;
  e->a = std::move(expr);
  e->ops = std::move(ops);
  e->args = std::move(operands);
  return finish(std::move(e));
}

ExprPtr Parser::parse_math1() {
  ExprPtr left = parse_concat();
  while (is_op("+") || is_op("-")) {
    const Token& t = next();
    left = binary(t.text, std::move(left), parse_concat(), t.line);
  }
  return left;
}

ExprPtr Parser::parse_concat() {
  ExprPtr left = parse_math2();
  while (is_op("~")) {
    int64_t line = next().line;
    left = binary("~", std::move(left), parse_math2(), line);
  }
  return left;
}

ExprPtr Parser::parse_math2() {
  ExprPtr left = parse_pow();
  while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
    const Token& t = next();
    left = binary(t.text, std::move(left), parse_pow(), t.line);
  }
  return left;
}

ExprPtr Parser::parse_pow() {
  ExprPtr left = parse_unary(true);
  while (is_op("**")) {
    int64_t line = next().line;
    left = binary("**", std::move(left), parse_unary(true), line);
  }
  return left;
}

ExprPtr Parser::parse_unary(bool with_filter) {
  ExprPtr node;
  if (is_op("-") && toks_[pos_ + 1].type == Tok::Int &&
      toks_[pos_ + 1].text == "9223372036854775808") {
    // -9223372036854775808 is the one literal whose magnitude alone does not fit in 64 bits.
    node = new_expr(ExprKind::Literal);
    next();
    next();
    node->value = Value(INT64_MIN);
  } else if (is_op("-") || is_op("+")) {
    Nest nest(*this);
    node = new_expr(ExprKind::Unary);
    node->name = next().text;
    node->a = parse_unary(false);
    node = finish(std::move(node));
  } else {
    node = parse_primary();
  }
  node = parse_postfix(std::move(node));
  if (with_filter) node = parse_filter_expr(std::move(node));
  return node;
}

ExprPtr Parser::parse_primary() {
  const Token& t = cur();
  ExprPtr e;
  if (t.type == Tok::Name) {
    e = new_expr(ExprKind::Literal);
    if (t.text == "true" || t.text == "True") {
      e->value = Value(true);
    } else if (t.text == "false" || t.text == "False") {
      e->value = Value(false);
    } else if (t.text == "none" || t.text == "None") {
      e->value = Value::none();
    } else {
      e->kind = ExprKind::Name;
      e->name = t.text;
      names_seen_.insert(t.text);
    }
    next();
  } else if (t.type == Tok::String) {
    e = new_expr(ExprKind::Literal);
    std::string s;
    while (cur().type == Tok::String) s += next().text;
    e->value = Value(std::move(s));
  } else if (t.type == Tok::Int || t.type == Tok::Float) {
    e = new_expr(ExprKind::Literal);
    try {
      e->value = t.type == Tok::Int ? Value(static_cast<int64_t>(std::stoll(t.text)))
                                    : Value(std::stod(t.text));
    } catch (const std::exception&) {
      fail_at("number out of range: " + t.text, t.line);
    }
    next();
  } else if (is_op("(")) {
    Nest nest(*this);
    next();
    e = parse_tuple(false, true, {}, true);
    expect_op(")");
  } else if (is_op("[")) {
    Nest nest(*this);
    e = parse_list();
  } else if (is_op("{")) {
    Nest nest(*this);
    e = parse_dict();
  } else {
    fail_at("unexpected '" + describe_token(t) + "'", t.line);
  }
  return e;
}

ExprPtr Parser::parse_list() {
  auto e = new_expr(ExprKind::List);
  expect_op("[");
  while (!is_op("]")) {
    if (!e->args.empty()) expect_op(",");
    if (is_op("]")) break;
    e->args.push_back(parse_expression(true));
  }
  expect_op("]");
  return finish(std::move(e));
}

ExprPtr Parser::parse_dict() {
  auto e = new_expr(ExprKind::Dict);
  expect_op("{");
  while (!is_op("}")) {
    if (!e->args.empty()) expect_op(",");
    if (is_op("}")) break;
    e->args.push_back(parse_expression(true));
    expect_op(":");
    e->args.push_back(parse_expression(true));
  }
  expect_op("}");
  return finish(std::move(e));
}

ExprPtr Parser::parse_postfix(ExprPtr node) {
  while (true) {
    if (is_op(".") || is_op("[")) {
      node = parse_subscript(std::move(node));
    } else if (is_op("(")) {
      node = parse_call(std::move(node));
    } else {
      return node;
    }
  }
}

ExprPtr Parser::parse_filter_expr(ExprPtr node) {
  while (true) {
    if (is_op("|")) {
      node = parse_filter(std::move(node), false);
    } else if (is_name("is")) {
      node = parse_test(std::move(node));
    } else if (is_op("(")) {
      node = parse_call(std::move(node));
    } else {
      return node;
    }
  }
}

ExprPtr Parser::parse_subscript(ExprPtr node) {
  const Token& t = next();
  if (t.text == ".") {
    const Token& attr = cur();
    if (attr.type == Tok::Name) {
      auto e = new_expr(ExprKind::GetAttr);
      e->name = next().text;
      e->a = std::move(node);
      return finish(std::move(e));
    }
    if (attr.type != Tok::Int) fail_at("expected name or number", attr.line);
    auto e = new_expr(ExprKind::GetItem);
    auto key = new_expr(ExprKind::Literal);
    int64_t index = 0;
    const std::string& digits = next().text;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || end != digits.data() + digits.size())
      fail_at("number out of range: " + digits, attr.line);
    key->value = Value(index);
    e->a = std::move(node);
    e->b = std::move(key);
    return finish(std::move(e));
  }
  Nest nest(*this);
  std::vector<ExprPtr> args;
  while (!is_op("]")) {
    if (!args.empty()) {
      expect_op(",");
      if (is_op("]")) break;
    }
    args.push_back(parse_subscribed());
  }
  expect_op("]");
  if (args.size() > 1)
    for (const auto& a : args)
      if (a->kind == ExprKind::Slice)
        fail_at("a slice inside a tuple subscript (extended slicing) is not supported", a->line);
  if (args.size() == 1 && args[0]->kind == ExprKind::Slice) {
    args[0]->a = std::move(node);
    return finish(std::move(args[0]));
  }
  auto e = new_expr(ExprKind::GetItem);
  e->line = t.line;
  e->a = std::move(node);
  if (args.size() == 1) {
    e->b = std::move(args[0]);
  } else {
    auto tup = new_expr(ExprKind::Tuple);
    tup->args = std::move(args);
    e->b = finish(std::move(tup));
  }
  return finish(std::move(e));
}

// One subscript: an expression or a slice `start:stop:step` (returned as a Slice without `a`).
ExprPtr Parser::parse_subscribed() {
  std::vector<ExprPtr> parts;
  int64_t line = cur().line;
  if (is_op(":")) {
    next();
    parts.emplace_back();
  } else {
    ExprPtr node = parse_expression(true);
    if (!is_op(":")) return node;
    next();
    parts.push_back(std::move(node));
  }
  if (is_op("]") || is_op(",")) {
    parts.emplace_back();
  } else if (!is_op(":")) {
    parts.push_back(parse_expression(true));
  } else {
    parts.emplace_back();
  }
  if (skip_op(":")) {
    if (is_op("]") || is_op(",")) {
      parts.emplace_back();
    } else {
      parts.push_back(parse_expression(true));
    }
  } else {
    parts.emplace_back();
  }
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Slice;
  e->line = line;
  e->args = std::move(parts);
  return e;
}

ExprPtr Parser::parse_call(ExprPtr node) {
  Nest nest(*this);
  auto e = new_expr(ExprKind::Call);
  e->a = std::move(node);
  parse_call_args(*e);
  return finish(std::move(e));
}

void Parser::parse_call_args(Expr& call) {
  expect_op("(");
  bool first = true;
  while (!is_op(")")) {
    if (!first) {
      expect_op(",");
      if (is_op(")")) break;
    }
    first = false;
    if (skip_op("*")) {
      call.b = parse_expression(true);
    } else if (skip_op("**")) {
      call.c = parse_expression(true);
    } else if (cur().type == Tok::Name && toks_[pos_ + 1].type == Tok::Op &&
               toks_[pos_ + 1].text == "=") {
      std::string key = next().text;
      next();
      call.kwargs.emplace_back(key, parse_expression(true));
    } else {
      if (!call.kwargs.empty() || call.b || call.c) fail_at("Invalid argument syntax", cur().line);
      call.args.push_back(parse_expression(true));
    }
  }
  next();
}

ExprPtr Parser::parse_filter(ExprPtr node, bool start_inline) {
  while (is_op("|") || start_inline) {
    if (!start_inline) next();
    start_inline = false;
    auto e = new_expr(ExprKind::Filter);
    std::string name = expect_name();
    while (is_op(".")) {
      next();
      name += "." + expect_name();
    }
    e->name = name;
    e->a = std::move(node);
    if (is_op("(")) {
      Nest nest(*this);
      parse_call_args(*e);
    }
    node = finish(std::move(e));
  }
  return node;
}

ExprPtr Parser::parse_test(ExprPtr node) {
  int64_t line = next().line;  // `is`
  bool negated = skip_name("not");
  auto e = new_expr(ExprKind::Test);
  e->line = line;
  std::string name = expect_name();
  while (is_op(".")) {
    next();
    name += "." + expect_name();
  }
  e->name = name;
  e->a = std::move(node);
  const Token& t = cur();
  if (is_op("(")) {
    Nest nest(*this);
    parse_call_args(*e);
  } else if ((t.type == Tok::Name || t.type == Tok::String || t.type == Tok::Int ||
              t.type == Tok::Float || is_op("[") || is_op("{")) &&
             !(is_name("else") || is_name("or") || is_name("and"))) {
    if (is_name("is")) fail_at("You cannot chain multiple tests with is", t.line);
    e->args.push_back(parse_postfix(parse_primary()));
  }
  e = finish(std::move(e));
  if (!negated) return e;
  auto n = std::make_unique<Expr>();
  n->kind = ExprKind::Unary;
  n->line = line;
  n->name = "not";
  n->a = std::move(e);
  return finish(std::move(n));
}

}  // namespace fg::config::jinja
