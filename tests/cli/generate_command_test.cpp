// `forgather generate` and `eval` on a hostile model directory: the reproduction (a
// graph that wraps the model in tokenizer training over /etc/passwd) exits non-zero, names
// config.json and the node, and writes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "forgather_run.h"

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

class HostileModelDirCli : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("fg_hostile_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_ / "model");
    const std::string graph =
        "model_factory: !singleton:.causal_lm:CasualLM\n"
        "  loss_fn: !singleton:forgather.ml.tokenizer:load_or_train_bpe\n"
        "    path: " +
        (root_ / "stolen").string() +
        "\n"
        "    dataset: /etc/passwd\n"
        "    vocab_size: 300\n";
    const nlohmann::json config = {{"hidden_size", 8}, {"forgather_model_graph", graph}};
    std::ofstream(root_ / "model" / "config.json") << config.dump();
    std::ofstream(root_ / "model" / "model.safetensors") << "x";
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_P(HostileModelDirCli, RefusedAndNothingWritten) {
  const Outcome r = run_forgather({GetParam(), (root_ / "model").string()});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("config.json:forgather_model_graph:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at 'model_factory.loss_fn'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused constructor 'forgather.ml.tokenizer:load_or_train_bpe' (class: "
                       "side effects (tokenizer))"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "stolen"));
  EXPECT_FALSE(fs::exists(root_ / "model" / "eval_lengths.json"));
}

INSTANTIATE_TEST_SUITE_P(Commands, HostileModelDirCli, ::testing::Values("generate", "eval"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace fg::cli
