#include "nn/module.h"

#include <gtest/gtest.h>

#include "nn/attention/causal_alibi_attn.h"
#include "nn/dropout.h"
#include "nn/layer_stack.h"
#include "nn/linear.h"
#include "nn/norm.h"

namespace fg::nn {
namespace {

// Own parameter registered after the children, like CausalAlibiAttn's slopes.
class Toy : public Module {
 public:
  Toy() : Module("Toy") {
    register_module("a", std::make_unique<Linear>(3, 2));
    register_module("b", std::make_unique<LayerNorm>(2));
    register_parameter("own", Tensor::zeros({4}), false);
    register_buffer("buf", Tensor::ones({2}));
  }
  void add_duplicate() { register_parameter("own", Tensor::zeros({1})); }
};

std::vector<std::string> keys(const std::vector<NamedTensor>& v) {
  std::vector<std::string> out;
  for (auto& [n, _] : v) out.push_back(n);
  return out;
}

TEST(Module, EnumeratesLikePyTorch) {
  Toy t;
  EXPECT_EQ(keys(t.named_parameters()),
            (std::vector<std::string>{"own", "a.weight", "a.bias", "b.weight", "b.bias"}));
  EXPECT_EQ(keys(t.state_dict()),
            (std::vector<std::string>{"own", "buf", "a.weight", "a.bias", "b.weight", "b.bias"}));
  EXPECT_EQ(t.num_parameters(), 4 + 6 + 2 + 2 + 2);
  EXPECT_EQ(t.num_parameters(true), 12);
  EXPECT_EQ(t.trainable_parameters().size(), 4u);
  auto mods = t.named_modules();
  ASSERT_EQ(mods.size(), 3u);
  EXPECT_EQ(mods[1].first, "a");
  EXPECT_NE(t.find_module("b"), nullptr);
  EXPECT_EQ(t.find_module("c"), nullptr);
}

TEST(Module, RejectsDuplicateNames) {
  Toy t;
  EXPECT_THROW(t.add_duplicate(), Error);
}

TEST(Module, TrainEvalPropagates) {
  Toy t;
  EXPECT_TRUE(t.find_module("a")->is_training());
  t.eval();
  EXPECT_FALSE(t.find_module("a")->is_training());
}

TEST(Module, LoadStateDictCopiesInPlaceAndChecks) {
  Toy src, dst;
  for (auto& [n, p] : src.state_dict()) p.fill_(0.5f);
  Tensor handle = dst.named_parameters()[1].second;
  dst.load_state_dict(src.state_dict());
  EXPECT_FLOAT_EQ(handle.to_vector()[0], 0.5f);  // same handle, new values

  StateDict bad = src.state_dict();
  bad[2].second = Tensor::zeros({3, 3});
  try {
    dst.load_state_dict(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a.weight"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[2,3]"), std::string::npos) << e.what();
  }
  const StateDict full = src.state_dict();
  StateDict missing(full.begin() + 1, full.end());
  EXPECT_THROW(dst.load_state_dict(missing), Error);
  dst.load_state_dict(missing, {.strict = false, .prefix = ""});

  StateDict extra = src.state_dict();
  extra.emplace_back("a.wieght", Tensor::zeros({1}));
  try {
    dst.load_state_dict(extra);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean"), std::string::npos) << e.what();
  }
  StateDict prefixed;
  for (auto& [n, t] : src.state_dict()) prefixed.emplace_back("causal_lm." + n, t);
  dst.load_state_dict(prefixed, {.strict = true, .prefix = "causal_lm."});
}

TEST(Module, DescribeShowsTreeAndCounts) {
  Toy t;
  const std::string d = t.describe();
  EXPECT_NE(d.find("Toy()  16 params"), std::string::npos) << d;
  EXPECT_NE(d.find("  a: Linear(in_features=3, out_features=2, bias=true)  8 params"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("Total parameters: 16, Trainable: 12"), std::string::npos) << d;
}

TEST(Options, ValidateRejectsBadValues) {
  EXPECT_THROW(Linear(0, 3), Error);
  EXPECT_THROW(Dropout(1.0f), Error);
  EXPECT_THROW(CausalAlibiAttn(CausalAlibiAttnOptions{10, 3}), Error);
  CausalAlibiAttnOptions gqa{12, 6};
  gqa.num_kv_heads = 4;
  EXPECT_THROW(CausalAlibiAttn{gqa}, Error);
  try {
    LayerNorm(-1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[LayerNorm]", 0), 0u) << e.what();
  }
}

TEST(Alibi, SlopeInitMatchesSpec) {
  const std::vector<float> def = alibi_slopes_init(6, false);
  const std::vector<float> want = {1.0f,       0.3789291f, 0.1435873f,
                                   0.0544094f, 0.0206173f, 0.0078125f};
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(def[i], want[i], 1e-6) << i;
  const std::vector<float> alt = alibi_slopes_init(6, true);
  const std::vector<float> want_alt = {0.5f, 0.1894646f, 0.0717936f, 0, 0, 0};
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(alt[i], want_alt[i], 1e-6) << i;
  CausalAlibiAttn frozen(CausalAlibiAttnOptions{12, 6});
  EXPECT_EQ(frozen.num_parameters(), 4 * (144 + 12) + 6);  // slopes always count
  EXPECT_EQ(frozen.num_parameters(true), 4 * (144 + 12));
}

TEST(Dropout, TrainingNeedsAnRngAndEvalIsIdentity) {
  Dropout d(0.5f);
  Tensor x = Tensor::ones({4, 8});
  EXPECT_THROW(d.forward(x), Error);
  Rng rng(5);
  ForwardContext ctx;
  ctx.rng = &rng;
  auto y = d.forward(x, ctx).to_vector();
  int zeros = 0;
  for (float v : y) {
    EXPECT_TRUE(v == 0.0f || v == 2.0f) << v;
    zeros += v == 0.0f;
  }
  EXPECT_GT(zeros, 4);
  EXPECT_LT(zeros, 28);
  d.eval();
  EXPECT_EQ(d.forward(x).to_vector(), x.to_vector());
}

TEST(ModuleList, IndexesChildren) {
  ModuleList l;
  l.append(std::make_unique<Linear>(2, 2));
  EXPECT_EQ(l.size(), 1);
  EXPECT_EQ(keys(l.named_parameters())[0], "0.weight");
  EXPECT_THROW(l.at(1), Error);
}

}  // namespace
}  // namespace fg::nn
