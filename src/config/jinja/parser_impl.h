#pragma once
// Internal: the recursive-descent parser shared by parser.cpp (statements) and
// parser_expr.cpp (expressions).
#include <set>
#include <string>
#include <vector>

#include "config/jinja/ast.h"
#include "config/jinja/lexer.h"

namespace fg::config::jinja {

class Parser {
 public:
  Parser(std::vector<Token> tokens, int64_t max_depth);
  TemplateAst parse();
  ExprPtr parse_expression(bool with_condexpr);

 private:
  [[noreturn]] void fail_at(const std::string& msg, int64_t line) const;
  const Token& cur() const { return toks_[pos_]; }
  const Token& next();
  bool is_op(const char* op) const;
  bool is_name(const char* n) const;
  bool skip_op(const char* op);
  bool skip_name(const char* n);
  void expect_op(const char* op);
  std::string expect_name();
  void expect_block_end();
  [[noreturn]] void eof_in_block(const std::vector<std::string>& end_tokens) const;

  Body subparse(const std::vector<std::string>& end_tokens);
  Body subparse_inner(const std::vector<std::string>& end_tokens);
  Body parse_statements(const std::vector<std::string>& end_tokens, bool drop_needle);
  StmtPtr parse_statement();
  StmtPtr make(StmtKind k);
  StmtPtr parse_for();
  StmtPtr parse_if();
  StmtPtr parse_block();
  StmtPtr parse_extends();
  StmtPtr parse_set();
  StmtPtr parse_include();
  StmtPtr parse_import();
  StmtPtr parse_from();
  StmtPtr parse_macro();
  StmtPtr parse_call_block();
  StmtPtr parse_filter_block();
  StmtPtr parse_with();
  void parse_context(Stmt& s, bool dflt);
  void parse_signature(Stmt& s);
  ExprPtr parse_assign_target(bool with_tuple, bool name_only,
                              const std::vector<std::string>& extra_end, bool with_namespace);
  void check_target(const Expr& t) const;

  ExprPtr new_expr(ExprKind k);
  ExprPtr parse_tuple(bool simplified, bool with_condexpr,
                      const std::vector<std::string>& extra_end, bool explicit_parens);
  bool is_tuple_end(const std::vector<std::string>& extra_end) const;
  ExprPtr parse_condexpr();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_not();
  ExprPtr parse_compare();
  ExprPtr parse_math1();
  ExprPtr parse_concat();
  ExprPtr parse_math2();
  ExprPtr parse_pow();
  ExprPtr parse_unary(bool with_filter);
  ExprPtr parse_primary();
  ExprPtr parse_list();
  ExprPtr parse_dict();
  ExprPtr parse_postfix(ExprPtr node);
  ExprPtr parse_filter_expr(ExprPtr node);
  ExprPtr parse_subscript(ExprPtr node);
  ExprPtr parse_subscribed();
  ExprPtr parse_call(ExprPtr node);
  void parse_call_args(Expr& call);
  ExprPtr parse_filter(ExprPtr node, bool start_inline);
  ExprPtr parse_test(ExprPtr node);
  ExprPtr binary(const std::string& op, ExprPtr a, ExprPtr b, int64_t line);
  // Sets e's depth from its children; a tree deeper than max_depth_ is an error (deep trees
  // would overflow the stack when evaluated or freed).
  ExprPtr finish(ExprPtr e);
  [[noreturn]] void too_deep(int64_t line) const;

  // One level of parser recursion (a nested statement, unary operator or else-branch).
  class Nest {
   public:
    explicit Nest(Parser& p);
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& p_;
  };
  int64_t max_depth_;
  int64_t depth_ = 0;

  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::vector<std::string> stack_;                   // open statement tags, for error messages
  std::vector<std::vector<std::string>> end_stack_;  // end tags each open subparse looks for
  [[noreturn]] void fail_expected(const std::string& what) const;
  std::string end_tags_message() const;
  std::vector<std::pair<std::string, const Stmt*>> blocks_;
  bool has_extends_ = false;
  std::set<std::string> names_seen_;  // names referenced, to detect varargs/kwargs/caller
};

}  // namespace fg::config::jinja
