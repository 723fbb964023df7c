#include "config/jinja/parser.h"

#include <algorithm>
#include <set>

#include "config/jinja/error.h"
#include "config/jinja/limits.h"
#include "config/jinja/parser_impl.h"

namespace fg::config::jinja {

Parser::Parser(std::vector<Token> tokens, int64_t max_depth)
    : toks_(std::move(tokens)), max_depth_(max_depth) {}

void Parser::too_deep(int64_t line) const {
  fail_at("template nesting too deep: more than " + std::to_string(max_depth_) +
              " levels of nested statements, brackets and sub-expressions (" +
              LimitNames::kTemplateDepth + ")",
          line);
}

Parser::Nest::Nest(Parser& p) : p_(p) {
  if (++p_.depth_ > p_.max_depth_) {
    --p_.depth_;
    p_.too_deep(p_.cur().line);
  }
  try {
    check_native_stack("parser");
  } catch (const TemplateError& e) {
    --p_.depth_;
    p_.fail_at(e.jinja_message(), p_.cur().line);
  }
}

ExprPtr Parser::finish(ExprPtr e) {
  int64_t d = 0;
  auto child = [&](const ExprPtr& c) {
    if (c) d = std::max(d, c->depth);
  };
  child(e->a);
  child(e->b);
  child(e->c);
  for (const auto& x : e->args) child(x);
  for (const auto& [k, x] : e->kwargs) child(x);
  e->depth = d + 1;
  if (e->depth > max_depth_) too_deep(e->line);
  return e;
}

void Parser::fail_at(const std::string& msg, int64_t line) const {
  throw TemplateError(msg, SourceLocation{"", line, 0});
}

const Token& Parser::next() {
  const Token& t = toks_[pos_];
  if (pos_ + 1 < toks_.size()) ++pos_;
  return t;
}

bool Parser::is_op(const char* op) const {
  return cur().type == Tok::Op && cur().text == op;
}
bool Parser::is_name(const char* n) const {
  return cur().type == Tok::Name && cur().text == n;
}

bool Parser::skip_op(const char* op) {
  if (!is_op(op)) return false;
  next();
  return true;
}

bool Parser::skip_name(const char* n) {
  if (!is_name(n)) return false;
  next();
  return true;
}

void Parser::fail_expected(const std::string& what) const {
  if (cur().type == Tok::Eof)
    fail_at("unexpected end of template, expected '" + what + "'.", cur().line);
  fail_at("expected token '" + what + "', got '" + describe_token(cur()) + "'", cur().line);
}

void Parser::expect_op(const char* op) {
  if (!skip_op(op)) fail_expected(op);
}

std::string Parser::expect_name() {
  if (cur().type != Tok::Name) fail_expected("name");
  return next().text;
}

void Parser::expect_block_end() {
  if (cur().type != Tok::BlockEnd) fail_expected("end of statement block");
  next();
}

TemplateAst Parser::parse() {
  TemplateAst ast;
  ast.body = subparse({});
  ast.blocks = std::move(blocks_);
  ast.has_extends = has_extends_;
  return ast;
}

Body Parser::subparse(const std::vector<std::string>& end_tokens) {
  if (!end_tokens.empty()) end_stack_.push_back(end_tokens);
  Body body = subparse_inner(end_tokens);
  if (!end_tokens.empty()) end_stack_.pop_back();
  return body;
}

std::string Parser::end_tags_message() const {
  std::string msg;
  if (end_stack_.empty()) return msg;
  msg = " Jinja was looking for the following tags: ";
  const auto& tags = end_stack_.back();
  for (size_t i = 0; i < tags.size(); ++i) msg += (i ? " or '" : "'") + tags[i] + "'";
  msg += ".";
  if (!stack_.empty())
    msg += " The innermost block that needs to be closed is '" + stack_.back() + "'.";
  return msg;
}

Body Parser::subparse_inner(const std::vector<std::string>& end_tokens) {
  Body body;
  while (cur().type != Tok::Eof) {
    const Token& t = cur();
    if (t.type == Tok::Data) {
      auto s = std::make_unique<Stmt>();
      s->kind = StmtKind::Output;
      s->line = t.line;
      s->text = t.text;
      body.push_back(std::move(s));
      next();
    } else if (t.type == Tok::VarBegin) {
      next();
      auto s = std::make_unique<Stmt>();
      s->kind = StmtKind::Print;
      s->line = t.line;
      s->expr = parse_tuple(false, true, {}, false);
      if (cur().type != Tok::VarEnd) fail_expected("end of print statement");
      next();
      body.push_back(std::move(s));
    } else if (t.type == Tok::BlockBegin) {
      next();
      if (cur().type == Tok::Name) {
        for (const auto& e : end_tokens)
          if (cur().text == e) return body;
      }
      body.push_back(parse_statement());
    } else {
      fail_at("unexpected '" + describe_token(t) + "'", t.line);
    }
  }
  if (!end_tokens.empty()) eof_in_block(end_tokens);
  return body;
}

void Parser::eof_in_block(const std::vector<std::string>& end_tokens) const {
  std::string msg = "Unexpected end of template. Jinja was looking for the following tags: ";
  for (size_t i = 0; i < end_tokens.size(); ++i) {
    if (i) msg += " or ";
    msg += "'" + end_tokens[i] + "'";
  }
  msg += ".";
  if (!stack_.empty())
    msg += " The innermost block that needs to be closed is '" + stack_.back() + "'.";
  fail_at(msg, cur().line);
}

Body Parser::parse_statements(const std::vector<std::string>& end_tokens, bool drop_needle) {
  skip_op(":");
  expect_block_end();
  Body b = subparse(end_tokens);
  if (drop_needle) next();
  return b;
}

StmtPtr Parser::parse_statement() {
  const Token& t = cur();
  if (t.type != Tok::Name) fail_at("tag name expected", t.line);
  static const std::set<std::string> kTags = {"for",   "if",      "block",  "extends",
                                              "set",   "include", "import", "from",
                                              "macro", "call",    "filter", "with"};
  std::string tag = t.text;
  Nest nest(*this);
  if (!kTags.count(tag)) {
    fail_at("Encountered unknown tag '" + tag + "'." + end_tags_message(), t.line);
  }
  stack_.push_back(tag);
  StmtPtr s;
  if (tag == "for")
    s = parse_for();
  else if (tag == "if")
    s = parse_if();
  else if (tag == "block")
    s = parse_block();
  else if (tag == "extends")
    s = parse_extends();
  else if (tag == "set")
    s = parse_set();
  else if (tag == "include")
    s = parse_include();
  else if (tag == "import")
    s = parse_import();
  else if (tag == "from")
    s = parse_from();
  else if (tag == "macro")
    s = parse_macro();
  else if (tag == "call")
    s = parse_call_block();
  else if (tag == "filter")
    s = parse_filter_block();
  else
    s = parse_with();
  stack_.pop_back();
  return s;
}

StmtPtr Parser::make(StmtKind k) {
  auto s = std::make_unique<Stmt>();
  s->kind = k;
  s->line = next().line;  // consumes the tag name
  return s;
}

StmtPtr Parser::parse_for() {
  auto s = make(StmtKind::For);
  s->target = parse_assign_target(true, false, {"in"}, false);
  if (!skip_name("in"))
    fail_at("expected token 'in', got '" + describe_token(cur()) + "'", cur().line);
  s->expr = parse_tuple(false, false, {"recursive"}, false);
  if (skip_name("if")) s->cond = parse_expression(true);
  s->recursive = skip_name("recursive");
  s->body = parse_statements({"endfor", "else"}, false);
  if (next().text == "else") s->else_body = parse_statements({"endfor"}, true);
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_if() {
  auto s = make(StmtKind::If);
  while (true) {
    s->tests.push_back(parse_tuple(false, false, {}, false));
    s->bodies.push_back(parse_statements({"elif", "else", "endif"}, false));
    std::string tok = next().text;
    if (tok == "elif") continue;
    if (tok == "else") s->else_body = parse_statements({"endif"}, true);
    break;
  }
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_block() {
  auto s = make(StmtKind::Block);
  s->text = expect_name();
  s->scoped = skip_name("scoped");
  s->required = skip_name("required");
  if (cur().type == Tok::Op && cur().text == "-")
    fail_at(
        "Block names in Jinja have to be valid Python identifiers and may not contain "
        "hyphens, use an underscore instead.",
        cur().line);
  for (const auto& [n, b] : blocks_)
    if (n == s->text) fail_at("block '" + s->text + "' defined twice", s->line);
  s->body = parse_statements({"endblock"}, true);
  if (s->required) {
    for (const auto& st : s->body) {
      bool blank = st->kind == StmtKind::Output &&
                   st->text.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
      if (!blank) fail_at("Required blocks can only contain comments or whitespace", st->line);
    }
  }
  if (cur().type == Tok::Name) next();  // `endblock name`
  expect_block_end();
  blocks_.emplace_back(s->text, s.get());
  return s;
}

StmtPtr Parser::parse_extends() {
  auto s = make(StmtKind::Extends);
  s->expr = parse_expression(true);
  has_extends_ = true;
  expect_block_end();
  return s;
}

void Parser::parse_context(Stmt& s, bool dflt) {
  s.with_context = dflt;
  if ((is_name("with") || is_name("without")) && toks_[pos_ + 1].type == Tok::Name &&
      toks_[pos_ + 1].text == "context") {
    s.with_context = next().text == "with";
    next();
  }
}

StmtPtr Parser::parse_include() {
  auto s = make(StmtKind::Include);
  s->expr = parse_expression(true);
  if (is_name("ignore") && toks_[pos_ + 1].type == Tok::Name && toks_[pos_ + 1].text == "missing") {
    next();
    next();
    s->ignore_missing = true;
  }
  parse_context(*s, true);
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_import() {
  auto s = make(StmtKind::Import);
  s->expr = parse_expression(true);
  if (!skip_name("as"))
    fail_at("expected token 'as', got '" + describe_token(cur()) + "'", cur().line);
  s->text = expect_name();
  parse_context(*s, false);
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_from() {
  auto s = make(StmtKind::FromImport);
  s->expr = parse_expression(true);
  if (!skip_name("import"))
    fail_at("expected token 'import', got '" + describe_token(cur()) + "'", cur().line);
  s->with_context = false;
  while (true) {
    if (!s->names.empty() && !skip_op(",")) break;
    if ((is_name("with") || is_name("without")) && toks_[pos_ + 1].text == "context") break;
    if (cur().type != Tok::Name) break;
    std::string name = next().text;
    if (name[0] == '_') fail_at("names starting with an underline can not be imported", cur().line);
    std::string alias = name;
    if (skip_name("as")) alias = expect_name();
    s->names.emplace_back(name, alias);
  }
  parse_context(*s, false);
  expect_block_end();
  return s;
}

void Parser::parse_signature(Stmt& s) {
  expect_op("(");
  while (!is_op(")")) {
    if (!s.params.empty()) expect_op(",");
    std::string p = expect_name();
    s.params.push_back(p);
    if (skip_op("=")) {
      s.defaults.push_back(parse_expression(true));
    } else {
      s.defaults.emplace_back();
    }
  }
  next();
}

StmtPtr Parser::parse_macro() {
  auto s = make(StmtKind::Macro);
  s->text = expect_name();
  parse_signature(*s);
  auto saved = std::move(names_seen_);
  names_seen_.clear();
  s->body = parse_statements({"endmacro"}, true);
  if (cur().type == Tok::Name) next();
  expect_block_end();
  s->uses_varargs = names_seen_.count("varargs") > 0;
  s->uses_kwargs = names_seen_.count("kwargs") > 0;
  s->uses_caller = names_seen_.count("caller") > 0;
  names_seen_.insert(saved.begin(), saved.end());
  return s;
}

StmtPtr Parser::parse_call_block() {
  auto s = make(StmtKind::CallBlock);
  if (is_op("(")) parse_signature(*s);
  s->expr = parse_expression(true);
  if (s->expr->kind != ExprKind::Call) fail_at("expected call", s->line);
  auto saved = std::move(names_seen_);
  names_seen_.clear();
  s->body = parse_statements({"endcall"}, true);
  s->uses_varargs = names_seen_.count("varargs") > 0;
  s->uses_kwargs = names_seen_.count("kwargs") > 0;
  names_seen_.insert(saved.begin(), saved.end());
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_filter_block() {
  auto s = make(StmtKind::FilterBlock);
  s->filter = parse_filter(nullptr, true);
  s->body = parse_statements({"endfilter"}, true);
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_with() {
  auto s = make(StmtKind::With);
  while (cur().type != Tok::BlockEnd) {
    if (!s->targets.empty()) expect_op(",");
    s->targets.push_back(parse_assign_target(true, false, {}, false));
    expect_op("=");
    s->values.push_back(parse_expression(true));
  }
  s->body = parse_statements({"endwith"}, true);
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_set() {
  auto s = make(StmtKind::Set);
  s->target = parse_assign_target(true, false, {}, true);
  if (skip_op("=")) {
    s->expr = parse_tuple(false, true, {}, false);
    expect_block_end();
    return s;
  }
  s->kind = StmtKind::SetBlock;
  if (is_op("|")) s->filter = parse_filter(nullptr, false);
  s->body = parse_statements({"endset"}, true);
  expect_block_end();
  return s;
}

ExprPtr Parser::parse_assign_target(bool with_tuple, bool name_only,
                                    const std::vector<std::string>& extra_end,
                                    bool with_namespace) {
  if (with_namespace && cur().type == Tok::Name && toks_[pos_ + 1].type == Tok::Op &&
      toks_[pos_ + 1].text == ".") {
    auto ns = new_expr(ExprKind::Name);
    ns->name = next().text;
    next();
    auto e = new_expr(ExprKind::GetAttr);
    e->name = expect_name();
    e->a = std::move(ns);
    return e;
  }
  ExprPtr t;
  if (name_only || !with_tuple) {
    t = new_expr(ExprKind::Name);
    t->name = expect_name();
  } else {
    t = parse_tuple(true, true, extra_end, false);
  }
  check_target(*t);
  return t;
}

void Parser::check_target(const Expr& t) const {
  if (t.kind == ExprKind::Name) {
    if (t.name == "true" || t.name == "false" || t.name == "none" || t.name == "True" ||
        t.name == "False" || t.name == "None")
      fail_at("can't assign to '" + t.name + "'", t.line);
    return;
  }
  if (t.kind == ExprKind::Tuple) {
    for (const auto& e : t.args) check_target(*e);
    return;
  }
  static const char* kNames[] = {"const",     "name",    "list",    "tuple",    "dict",
                                 "unaryexpr", "binexpr", "compare", "condexpr", "getattr",
                                 "getitem",   "slice",   "call",    "filter",   "test"};
  fail_at("can't assign to '" + std::string(kNames[static_cast<int>(t.kind)]) + "'", t.line);
}

ExprPtr Parser::new_expr(ExprKind k) {
  auto e = std::make_unique<Expr>();
  e->kind = k;
  e->line = cur().line;
  return e;
}

TemplateAst parse_template(const std::string& source, const LexOptions& opts) {
  return Parser(tokenize(source, opts), opts.max_depth).parse();
}

}  // namespace fg::config::jinja
