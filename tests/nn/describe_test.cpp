#include <gtest/gtest.h>

#include <string>

#include "nn/causal_transformer.h"

namespace fg::nn {
namespace {

TEST(Describe, ExampleModelTree) {
  Rng rng(0);
  CausalTransformerConfig c;
  c.num_hidden_layers = 1;
  const std::string d = make_causal_transformer(c, rng)->describe();
  EXPECT_NE(d.find("CausalLM()  2,483,414 params"), std::string::npos);
  EXPECT_NE(d.find("    attention: CausalAlibiAttn(d_model=288, num_heads=6, num_kv_heads=6, "
                   "trainable_alibi=true, alt_alibi_init=false)  332,934 params"),
            std::string::npos);
}

}  // namespace
}  // namespace fg::nn
