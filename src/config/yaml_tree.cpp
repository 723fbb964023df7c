#include "config/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <sstream>

#include "config/yaml_limits.h"
#include "core/error.h"

namespace fg::config::detail {
namespace {

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string source, int64_t max_depth)
      : source_(std::move(source)), max_depth_(max_depth) {}
  RawPtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = make(mark, "?", anchor);
    n->kind = RawNode::kNull;
    finish(n);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end() || !it->second->complete)
      throw ConfigError("[YAML] recursive alias: an alias refers to a node that contains it",
                        {source_, mark.line + 1, mark.column + 1});
    attach(it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = make(mark, tag, anchor);
    n->kind = RawNode::kScalar;
    n->value = value;
    finish(n);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    auto n = make(mark, tag, anchor);
    n->kind = RawNode::kSeq;
    push(n, mark);
  }
  void OnSequenceEnd() override { pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    auto n = make(mark, tag, anchor);
    n->kind = RawNode::kMap;
    push(n, mark);
  }
  void OnMapEnd() override { pop(); }

 private:
  struct Frame {
    RawPtr node;
    RawPtr pending_key;  // maps: key waiting for its value
  };

  RawPtr make(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) {
    auto n = std::make_shared<RawNode>();
    n->tag = tag;
    n->line = mark.line;
    n->column = mark.column;
    if (anchor) anchors_[anchor] = n;
    return n;
  }
  // yaml-cpp recurses once per level; stopping here keeps a hostile document off the stack.
  void push(const RawPtr& n, const YAML::Mark& mark) {
    if (static_cast<int64_t>(stack_.size()) >= max_depth_)
      throw ConfigError(depth_limit_message(max_depth_), {source_, mark.line + 1, mark.column + 1});
    stack_.push_back({n, nullptr});
  }
  void finish(const RawPtr& n) {
    n->complete = true;
    attach(n);
  }
  void pop() {
    RawPtr n = stack_.back().node;
    stack_.pop_back();
    finish(n);
  }
  void attach(const RawPtr& n) {
    if (stack_.empty()) {
      if (!root_) root_ = n;
      return;
    }
    Frame& top = stack_.back();
    if (top.node->kind == RawNode::kSeq) {
      top.node->items.push_back(n);
    } else if (!top.pending_key) {
      top.pending_key = n;
    } else {
      top.node->pairs.emplace_back(top.pending_key, n);
      top.pending_key = nullptr;
    }
  }

  std::string source_;
  int64_t max_depth_;
  RawPtr root_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, RawPtr> anchors_;
};

}  // namespace

RawPtr parse_raw_yaml(const std::string& text, const std::string& source_name, int64_t max_depth) {
  std::istringstream in(text);
  TreeBuilder builder(source_name, max_depth);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::Exception& e) {
    throw ConfigError("[YAML] syntax error: " + e.msg,
                      {source_name, e.mark.line + 1, e.mark.column + 1});
  }
  return builder.root();
}

}  // namespace fg::config::detail
