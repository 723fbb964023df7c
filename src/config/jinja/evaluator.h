#pragma once
// Evaluator: renders a compiled template by walking its AST. One Renderer per top-level render.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/jinja/ast.h"
#include "config/jinja/budget.h"
#include "config/jinja/environment.h"

namespace fg::config::jinja {

// A variable scope. Frames form a chain; lookups walk to the root (globals).
struct Frame {
  explicit Frame(std::shared_ptr<Frame> p = nullptr) : parent(std::move(p)) {}
  const Value* lookup(const std::string& name) const;
  std::unordered_map<std::string, Value> vars;
  std::shared_ptr<Frame> parent;
};
using FramePtr = std::shared_ptr<Frame>;

struct BlockRef {
  const Stmt* stmt;
  std::shared_ptr<const CompiledTemplate> tmpl;
};

// State shared by a template and its extends chain (Jinja's Context).
struct RenderContext {
  FramePtr root;                                                  // template-level variables
  std::unordered_map<std::string, std::vector<BlockRef>> blocks;  // most derived first
  std::vector<std::string> exported;  // top-level names, in order (for import)
};
using ContextPtr = std::shared_ptr<RenderContext>;

// Where code runs: the frame, the template it came from, and the context.
struct Scope {
  FramePtr frame;
  const CompiledTemplate* tmpl;
  ContextPtr ctx;
  // Set by `extends` at the top level: later output is discarded and the parent renders after.
  std::shared_ptr<const CompiledTemplate> parent;
};

class Renderer {
 public:
  explicit Renderer(Environment& env);
  // Closures (macros, super, loop) hold frames that hold them: the frames and contexts of the
  // render are cleared, and then the reference cycles templates built among containers.
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  std::string render(std::shared_ptr<const CompiledTemplate> t, const ValueMap& vars);

  Value eval(const Expr& e, Scope& s);

 private:
  friend class ExprEvaluator;
  void render_template(std::shared_ptr<const CompiledTemplate> t, ContextPtr ctx, std::string& out);
  Value eval_display(const Expr& e, Scope& s);
  Value eval_unary(const Expr& e, Scope& s);
  Value eval_compare(const Expr& e, Scope& s);
  void exec_body(const Body& body, Scope& s, std::string& out);
  void exec(const Stmt& st, Scope& s, std::string& out);
  void exec_inner(const Stmt& st, Scope& s, std::string& out);
  void exec_if(const Stmt& st, Scope& s, std::string& out);
  void exec_for(const Stmt& st, Scope& s, std::string& out);
  void run_loop(const Stmt& st, std::vector<Value> items, Scope& s, std::string& out,
                int64_t depth);
  Value make_loop_object(const Stmt& st, Scope& s, const std::vector<Value>& items, int64_t depth,
                         std::shared_ptr<int64_t> index0);
  void exec_set(const Stmt& st, Scope& s, std::string& out);
  void exec_block(const Stmt& st, Scope& s, std::string& out);
  void render_block(const std::string& name, size_t level, const FramePtr& parent, Scope& s,
                    std::string& out);
  void exec_extends(const Stmt& st, Scope& s);
  // Appends t's blocks to the context (less derived than those present) and to `self`.
  void register_blocks(const ContextPtr& ctx, const std::shared_ptr<const CompiledTemplate>& t);
  void exec_include(const Stmt& st, Scope& s, std::string& out);
  void exec_import(const Stmt& st, Scope& s);
  Value import_module(const Stmt& st, Scope& s);
  Value make_macro(const Stmt& st, Scope& s, const std::string& name);
  void exec_call_block(const Stmt& st, Scope& s, std::string& out);
  void exec_filter_block(const Stmt& st, Scope& s, std::string& out);
  void exec_with(const Stmt& st, Scope& s, std::string& out);
  void assign(const Expr& target, const Value& v, Scope& s);
  void set_var(const std::string& name, const Value& v, Scope& s);
  Value apply_filter(const Expr& f, const Value& input, Scope& s);
  Args eval_args(const Expr& call, Scope& s);
  std::shared_ptr<const CompiledTemplate> load(const Value& name, Scope& s, const char* kind,
                                               bool ignore_missing);
  void push_chain(const std::string& name, const char* kind);
  // Appends render output, counting it against max_render_bytes.
  void emit(std::string& out, const std::string& text);
  // Every frame and context of the render is made here, so the end of the render can clear them.
  FramePtr new_frame(FramePtr parent);
  ContextPtr new_context();

  Environment& env_;
  RenderBudget budget_;
  FramePtr globals_;
  std::vector<std::string> chain_;  // templates being rendered, for cycle detection
  int64_t emitted_ = 0;             // bytes of output written, all buffers together
  std::vector<std::weak_ptr<Frame>> frames_;
  std::vector<std::weak_ptr<RenderContext>> contexts_;
  size_t compact_at_ = 1024;
  friend class DepthGuard;
};

// One level of render nesting: past max_render_depth (or near the end of the native stack) a
// TemplateError, not a crash.
class DepthGuard {
 public:
  explicit DepthGuard(Renderer& r);
  ~DepthGuard() { budget_.leave(); }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  RenderBudget& budget_;
};

// Rethrows `e` with the location of `line` in `t` (keeps UndefinedError's type).
[[noreturn]] void relocate(const TemplateError& e, const CompiledTemplate& t, int64_t line);

}  // namespace fg::config::jinja
