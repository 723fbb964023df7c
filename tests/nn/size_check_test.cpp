// Hostile model dimensions: every component refuses overflowing, negative, zero or inconsistent
// sizes in validate(), with its name and the sizes, before it allocates anything.
#include "nn/size_check.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "nn/attention/causal_alibi_attn.h"
#include "nn/attention/causal_multihead_attn.h"
#include "nn/attention/single_head_attn.h"
#include "nn/causal_transformer.h"
#include "nn/embedding.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/input_encoder.h"
#include "nn/layer_stack.h"
#include "nn/linear.h"
#include "nn/norm.h"
#include "nn/positional/sinusoidal_pe.h"

namespace fg::nn {
namespace {

constexpr int64_t k2e62 = int64_t{1} << 62;  // the hidden_size=4611686018427387904

struct BadDims {
  const char* name;
  std::function<void()> build;
  const char* message;
};

class HostileModelDims : public ::testing::TestWithParam<BadDims> {};

TEST_P(HostileModelDims, RefusedWithComponentAndSizes) {
  const BadDims& c = GetParam();
  try {
    c.build();
    FAIL() << "built";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Components, HostileModelDims,
    ::testing::Values(
        BadDims{"LinearOverflow",
                [] {
                  Linear(LinearOptions{k2e62, 512});
                },
                "[Linear] weight 512 x 4611686018427387904 overflows int64"},
        BadDims{"LinearNegative",
                [] {
                  Linear(LinearOptions{-4, 3});
                },
                "[Linear] in_features and out_features must be positive, got -4 and 3"},
        BadDims{"LinearZero",
                [] {
                  Linear(LinearOptions{4, 0});
                },
                "got 4 and 0"},
        BadDims{"EmbeddingOverflow",
                [] {
                  Embedding(EmbeddingOptions{k2e62, k2e62});
                },
                "[Embedding] weight 4611686018427387904 x 4611686018427387904 overflows int64"},
        BadDims{"EmbeddingBytesOverflow",
                [] {
                  Embedding(EmbeddingOptions{int64_t{1} << 31, int64_t{1} << 31});
                },
                "[Embedding] weight 2147483648 x 2147483648 overflows int64 (as f32 bytes)"},
        BadDims{"EmbeddingZero",
                [] {
                  Embedding(EmbeddingOptions{0, 8});
                },
                "[Embedding] num_embeddings"},
        BadDims{"LayerNormOverflow", [] { LayerNorm(LayerNormOptions{k2e62}); },
                "[LayerNorm] weight of 4611686018427387904 values overflows int64"},
        BadDims{"RMSNormOverflow", [] { RMSNorm(RMSNormOptions{k2e62}); },
                "[RMSNorm] weight of 4611686018427387904 values overflows int64"},
        BadDims{"RMSNormNegative", [] { RMSNorm(RMSNormOptions{-1}); },
                "[RMSNorm] normalized_shape must be positive, got -1"},
        BadDims{"SinusoidalOverflow",
                [] {
                  SinusoidalPE(SinusoidalPEOptions{k2e62, k2e62});
                },
                "[SinusoidalPE] table 4611686018427387904 x 4611686018427387904 overflows"},
        BadDims{"SinusoidalOdd",
                [] {
                  SinusoidalPE(SinusoidalPEOptions{7, 16});
                },
                "[SinusoidalPE] d_model must be positive and even, got 7"},
        BadDims{"InputEncoderOverflow",
                [] {
                  InputEncoder(InputEncoderOptions{k2e62, 2000});
                },
                "[InputEncoder] embedding 2000 x 4611686018427387904 overflows int64"},
        BadDims{"FeedforwardOverflow",
                [] {
                  FeedforwardLayer(FeedforwardLayerOptions{512, k2e62});
                },
                "[FeedforwardLayer] linear1 weight 4611686018427387904 x 512 overflows"},
        BadDims{"GLUOverflow",
                [] {
                  GLUFeedforwardLayer(GLUFeedforwardLayerOptions{k2e62, 8});
                },
                "[GLUFeedforwardLayer] up_proj weight 8 x 4611686018427387904 overflows"},
        BadDims{"MultiheadOverflow",
                [] {
                  CausalMultiheadAttn(CausalMultiheadAttnOptions{int64_t{1} << 32, 2});
                },
                "[CausalMultiheadAttn] query weight 4294967296 x 4294967296 overflows"},
        BadDims{"MultiheadHeadsDoNotDivide",
                [] {
                  CausalMultiheadAttn(CausalMultiheadAttnOptions{10, 3});
                },
                "[CausalMultiheadAttn] d_model (10) must be a positive multiple of num_heads (3)"},
        BadDims{"AlibiZeroHeads",
                [] {
                  CausalAlibiAttn(CausalAlibiAttnOptions{8, 0});
                },
                "[CausalAlibiAttn] d_model (8) must be a positive multiple of num_heads (0)"},
        BadDims{"AlibiKvHeads",
                [] {
                  CausalAlibiAttnOptions o{8, 4};
                  o.num_kv_heads = 3;
                  CausalAlibiAttn{o};
                },
                "[CausalAlibiAttn] num_heads (4) must be divisible by num_kv_heads (3)"},
        BadDims{"SingleHeadOverflow",
                [] { SingleHeadAttn(SingleHeadAttnOptions{int64_t{1} << 40}); },
                "[SingleHeadAttn] query weight 1099511627776 x 1099511627776 overflows"},
        BadDims{"TooManyLayers",
                [] {
                  LayerStack([](int64_t) { return std::make_unique<Linear>(2, 2); },
                             LayerStackOptions{1000000});
                },
                "[LayerStack] num_hidden_layers must be in [0, 65536], got 1000000"},
        BadDims{"NegativeLayers",
                [] {
                  LayerStack([](int64_t) { return std::make_unique<Linear>(2, 2); },
                             LayerStackOptions{-1});
                },
                "got -1"},
        BadDims{"TransformerHeadsDoNotDivide",
                [] {
                  CausalTransformerConfig c;
                  c.hidden_size = 100;
                  c.num_attention_heads = 7;
                  c.validate();
                },
                "[CausalTransformer] hidden_size (100) must be a positive multiple of "
                "num_attention_heads (7)"},
        BadDims{"TransformerVocabOverflow",
                [] {
                  CausalTransformerConfig c;
                  c.vocab_size = k2e62;
                  c.validate();
                },
                "[CausalTransformer] embedding 4611686018427387904 x 288 overflows"}),
    [](const auto& info) { return std::string(info.param.name); });

// Sizes that count fine but do not fit the machine: refused before allocating, with the sizes.
class HostileModelMemory : public ::testing::Test {
 protected:
  void SetUp() override { setenv("FORGATHER_MEMORY_LIMIT", "1G", 1); }
  void TearDown() override { unsetenv("FORGATHER_MEMORY_LIMIT"); }
};

TEST_F(HostileModelMemory, OneHugeWeight) {
  try {
    Linear big(int64_t{1} << 20, int64_t{1} << 20);
    FAIL() << "built a 4 TiB Linear";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[Tensor] shape [1048576, 1048576] of f32 needs 4.0 TiB"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("this machine allows 1.0 GiB"), std::string::npos) << msg;
  }
}

TEST_F(HostileModelMemory, DeepStackCheckedFromItsFirstLayer) {
  int64_t built = 0;
  try {
    LayerStack stack(
        [&built](int64_t) {
          ++built;
          return std::make_unique<Linear>(1024, 1024);
        },
        LayerStackOptions{60000});
    FAIL() << "built a 240 GiB stack";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "[LayerStack] 60000 layers of 1049600 parameters need 234.6 GiB of parameters; "
                  "this machine allows 1.0 GiB"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(built, 1);
}

}  // namespace
}  // namespace fg::nn
