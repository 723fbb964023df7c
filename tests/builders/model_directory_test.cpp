// A model directory is untrusted input: its config.json graph may only build model components.
// Each hostile graph below names a constructor with side effects somewhere in the model; loading
// must refuse it, name the node and the file, and leave the file system as it was.
#include "builders/model_directory.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "builders_test_util.h"
#include "tokenizer/tokenizer_config.h"

namespace fg::builders {
namespace {

namespace fs = std::filesystem;
using testing::error_of;

// A tiny but complete model graph; @HOLE@ is where a case puts its node (the loss function).
const char* kModelGraph = R"(model_factory: !singleton:.causal_lm:CasualLM
  loss_fn: @HOLE@
  input_encoder: !singleton:.input_encoder:InputEncoder
    d_model: 8
    vocab_size: 16
  output_decoder: !singleton:torch.nn:Linear [8, 16]
  layer_stack: !singleton:.layer_stack:LayerStack
    layer_factory: !lambda:.pre_ln_layer:PreLNLayer
      feedforward_factory: !lambda:.feedforward_layer:FeedforwardLayer
        d_model: 8
        d_feedforward: 16
      attention_factory: !lambda:.causal_multihead_attn:CausalMultiheadAttn
        d_model: 8
        num_heads: 2
      norm_factory: !lambda:torch.nn:LayerNorm [8]
    num_hidden_layers: 1
)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Every path under `dir`, to show that loading created nothing.
std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.insert(e.path().string());
  return out;
}

struct HostileGraph {
  const char* name;
  const char* node;         // replaces @HOLE@ ("" = `graph` is the whole graph)
  const char* graph;        // used when node is ""
  const char* constructor;  // named in the refusal
  const char* key_path;     // the node's key path, as the error shows it
  const char* why = "only pure constructors";
};

class HostileModelDir : public ::testing::TestWithParam<HostileGraph> {};

TEST_P(HostileModelDir, RefusedBeforeAnythingIsBuilt) {
  const HostileGraph& c = GetParam();
  testing::TempDir dir;
  const fs::path model = dir.path() / "model";
  fs::create_directories(model);
  std::string graph = *c.node ? replace_all(kModelGraph, "@HOLE@", c.node) : c.graph;
  graph = replace_all(graph, "@DIR@", dir.path().string());
  nlohmann::json config = {{"hidden_size", 8}, {"forgather_model_graph", graph}};
  std::ofstream(model / "config.json") << config.dump();
  std::ofstream(model / "model.safetensors") << "x";
  const auto before = listing(dir.path());

  const std::string msg = error_of([&] { load_model_directory(model, testing::registry()); });
  EXPECT_NE(msg.find((model / "config.json").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::string("'") + c.constructor + "'"), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::string("at '") + c.key_path + "'"), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.why), std::string::npos) << msg;
  EXPECT_EQ(listing(dir.path()), before) << "loading a model directory wrote files";
}

// Nodes with side effects, each placed where the model's loss function goes.
INSTANTIATE_TEST_SUITE_P(
    SideEffectNodes, HostileModelDir,
    ::testing::Values(
        HostileGraph{"TokenizerTraining",
                     "!singleton:forgather.ml.tokenizer:load_or_train_bpe {path: @DIR@/stolen, "
                     "dataset: /etc/passwd, vocab_size: 300}",
                     "", "forgather.ml.tokenizer:load_or_train_bpe", "model_factory.loss_fn"},
        HostileGraph{"TokenizerShortName", "!singleton:load_or_train_bpe {path: @DIR@/tok}", "",
                     "load_or_train_bpe", "model_factory.loss_fn"},
        HostileGraph{"Dataset", "!singleton:datasets:load_dataset [/etc/passwd]", "",
                     "datasets:load_dataset", "model_factory.loss_fn"},
        HostileGraph{"PreprocessDataset",
                     "!singleton:forgather.ml.datasets:preprocess_dataset {dataset: x}", "",
                     "forgather.ml.datasets:preprocess_dataset", "model_factory.loss_fn"},
        HostileGraph{"DataCollator",
                     "!singleton:forgather.ml.data_collator:DataCollatorForCausalLM []", "",
                     "forgather.ml.data_collator:DataCollatorForCausalLM", "model_factory.loss_fn"},
        HostileGraph{"TrainingArguments",
                     "!singleton:forgather.ml.trainer:TrainingArguments {output_dir: @DIR@/out}",
                     "", "forgather.ml.trainer:TrainingArguments", "model_factory.loss_fn"},
        HostileGraph{"Trainer", "!singleton:forgather.ml.trainer:Trainer {model_init: x}", "",
                     "forgather.ml.trainer:Trainer", "model_factory.loss_fn"},
        HostileGraph{"TrainingScript",
                     "!singleton:forgather.ml.training_script:TrainingScript {trainer: x}", "",
                     "forgather.ml.training_script:TrainingScript", "model_factory.loss_fn"},
        HostileGraph{"Optimizer", "!partial:torch.optim:AdamW {lr: 0.1}", "", "torch.optim:AdamW",
                     "model_factory.loss_fn"},
        HostileGraph{"OptimizerSGD", "!partial:torch.optim:SGD {lr: 0.1}", "", "torch.optim:SGD",
                     "model_factory.loss_fn"},
        HostileGraph{"SummaryWriter",
                     "!singleton:torch.utils.tensorboard:SummaryWriter {log_dir: @DIR@/runs}", "",
                     "torch.utils.tensorboard:SummaryWriter", "model_factory.loss_fn"},
        HostileGraph{"JsonLogger", "!singleton:forgather.ml.trainer.callbacks:JsonLogger []", "",
                     "forgather.ml.trainer.callbacks:JsonLogger", "model_factory.loss_fn"},
        HostileGraph{"TBLogger", "!singleton:forgather.ml.trainer.callbacks:TBLogger []", "",
                     "forgather.ml.trainer.callbacks:TBLogger", "model_factory.loss_fn"},
        HostileGraph{"TextgenCallback",
                     "!singleton:forgather.ml.trainer.callbacks:TextgenCallback []", "",
                     "forgather.ml.trainer.callbacks:TextgenCallback", "model_factory.loss_fn"},
        HostileGraph{"DistributedEnvironment",
                     "!singleton:forgather.ml.distributed:DistributedEnvironment []", "",
                     "forgather.ml.distributed:DistributedEnvironment", "model_factory.loss_fn"},
        HostileGraph{"OsPathJoin", "!singleton:os.path:join [/etc, passwd]", "", "os.path:join",
                     "model_factory.loss_fn"},
        HostileGraph{"JoinpathAlias", "!singleton:joinpath [/etc, passwd]", "", "joinpath",
                     "model_factory.loss_fn"},
        HostileGraph{"OsPathAbspath", "!singleton:os.path:abspath [x]", "", "os.path:abspath",
                     "model_factory.loss_fn"},
        HostileGraph{"OsPathDirname", "!singleton:os.path:dirname [/etc/passwd]", "",
                     "os.path:dirname", "model_factory.loss_fn"},
        HostileGraph{"FromProject", "!singleton:forgather:from_project {project_dir: /etc}", "",
                     "forgather:from_project", "model_factory.loss_fn"},
        HostileGraph{"LoadFromConfig",
                     "!singleton:forgather.ml.construct:load_from_config {project_dir: @DIR@}", "",
                     "forgather.ml.construct:load_from_config", "model_factory.loss_fn"},
        HostileGraph{"MetaBuilder",
                     "!singleton:forgather.ml.construct:construct_model {factory: 1, config: {}}",
                     "", "forgather.ml.construct:construct_model", "model_factory.loss_fn"}),
    [](const auto& info) { return std::string(info.param.name); });

// The same node hidden in the other places a graph can hold one.
INSTANTIATE_TEST_SUITE_P(
    HiddenPlaces, HostileModelDir,
    ::testing::Values(
        HostileGraph{"AtTheRoot", "",
                     "model_factory: !singleton:forgather.ml.tokenizer:load_or_train_bpe\n"
                     "  path: @DIR@/stolen\n",
                     "forgather.ml.tokenizer:load_or_train_bpe", "model_factory"},
        HostileGraph{"VarDefault",
                     "!singleton:.causal_loss:CausalLoss\n"
                     "    ignore_index: !var {name: nowhere, default: !singleton:os.path:abspath "
                     "[x]}",
                     "", "os.path:abspath", "model_factory.loss_fn.ignore_index.default"},
        HostileGraph{"LatentArgs",
                     "!singleton:.causal_loss:CausalLoss {latent_args: !singleton:datasets:"
                     "load_dataset [x]}",
                     "", "datasets:load_dataset", "model_factory.loss_fn.latent_args"},
        HostileGraph{"NeverCalledPartial",
                     "!singleton:named_list [!partial:forgather.ml.tokenizer:load_or_train_bpe "
                     "{path: @DIR@/later}]",
                     "", "forgather.ml.tokenizer:load_or_train_bpe", "model_factory.loss_fn[0]"},
        HostileGraph{"Lambda", "!lambda:datasets:load_dataset [/etc/passwd]", "",
                     "datasets:load_dataset", "model_factory.loss_fn"},
        HostileGraph{"DictValue", "!dict {a: !singleton:os.path:join [/etc, shadow]}", "",
                     "os.path:join", "model_factory.loss_fn.a"},
        HostileGraph{"TupleItem", "!tuple [1, !singleton:os.path:join [/etc, shadow]]", "",
                     "os.path:join", "model_factory.loss_fn[1]"},
        HostileGraph{"UnusedTarget", "",
                     "model_factory: !singleton:.causal_loss:CausalLoss []\n"
                     "other: !singleton:forgather:from_project {project_dir: /}\n",
                     "forgather:from_project", "other"},
        HostileGraph{"UnknownConstructor", "!singleton:os:system [\"touch @DIR@/pwned\"]", "",
                     "os:system", "model_factory.loss_fn", "unknown constructor"}),
    [](const auto& info) { return std::string(info.param.name); });

// config.json's values are untrusted too: a hidden size that overflows is refused at the
// component that would allocate it, naming the file.
TEST(HostileModelDirValues, OverflowingHiddenSize) {
  testing::TempDir dir;
  std::string graph = replace_all(kModelGraph, "@HOLE@", "!singleton:.causal_loss:CausalLoss []");
  graph = replace_all(graph, "d_model: 8\n    vocab_size: 16",
                      "d_model: !var hidden_size\n    "
                      "vocab_size: 16");
  nlohmann::json config = {{"hidden_size", 4611686018427387904}, {"forgather_model_graph", graph}};
  std::ofstream(dir.path() / "config.json") << config.dump();
  std::ofstream(dir.path() / "model.safetensors") << "x";
  const std::string msg = error_of([&] { load_model_directory(dir.path(), testing::registry()); });
  EXPECT_NE(msg.find("config.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[InputEncoder] embedding 16 x 4611686018427387904 overflows int64"),
            std::string::npos)
      << msg;
}

// The files a model directory names must be regular files inside it: no symlink out of it, no
// device, pipe or directory, no oversized config.json. Each is refused before anything is built.
struct HostileFile {
  const char* name;
  std::function<void(const fs::path& model)> plant;
  const char* message;
};

class HostileModelDirFiles : public ::testing::TestWithParam<HostileFile> {};

TEST_P(HostileModelDirFiles, RefusedNamingTheFile) {
  testing::TempDir dir;
  const fs::path model = dir.path() / "model";
  fs::create_directories(model);
  const std::string graph =
      replace_all(kModelGraph, "@HOLE@", "!singleton:.causal_loss:CausalLoss []");
  std::ofstream(model / "model.safetensors") << "x";
  std::ofstream(model / "config.json") << nlohmann::json{{"forgather_model_graph", graph}}.dump();
  GetParam().plant(model);
  const std::string msg = error_of([&] { load_model_directory(model, testing::registry()); });
  EXPECT_NE(msg.find(model.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find(GetParam().message), std::string::npos) << msg;
}

void replace_with_symlink(const fs::path& file, const fs::path& target) {
  fs::remove(file);
  fs::create_symlink(target, file);
}

void write_tokenizer_config(const fs::path& model, const std::string& model_file) {
  tokenizer::TokenizerConfig c;
  c.kind = tokenizer::kKindSentencePiece;
  c.model_file = model_file;
  c.vocab_size = 300;
  tokenizer::write_tokenizer_config(model, c);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileModelDirFiles,
    ::testing::Values(
        HostileFile{
            "ConfigSymlinkToPasswd",
            [](const fs::path& m) { replace_with_symlink(m / "config.json", "/etc/passwd"); },
            "config.json resolves to /etc/passwd, outside the model directory"},
        HostileFile{"ConfigSymlinkToDevZero",
                    [](const fs::path& m) { replace_with_symlink(m / "config.json", "/dev/zero"); },
                    "config.json resolves to /dev/zero, outside the model directory"},
        HostileFile{"ConfigIsADirectory",
                    [](const fs::path& m) {
                      fs::remove(m / "config.json");
                      fs::create_directory(m / "config.json");
                    },
                    "config.json' is a directory, expected a regular file"},
        HostileFile{"ConfigIsAPipe",
                    [](const fs::path& m) {
                      fs::remove(m / "config.json");
                      ASSERT_EQ(mkfifo((m / "config.json").c_str(), 0600), 0);
                    },
                    "config.json' is a FIFO (named pipe)"},
        HostileFile{
            "ConfigTooLarge",
            [](const fs::path& m) { fs::resize_file(m / "config.json", std::uintmax_t{65} << 20); },
            "config.json is 68157440 bytes; expected at most 67108864"},
        HostileFile{"WeightsSymlinkOut",
                    [](const fs::path& m) {
                      replace_with_symlink(m / "model.safetensors", "/etc/hostname");
                    },
                    "model.safetensors resolves to /etc/hostname, outside the model directory"},
        HostileFile{"WeightsMissing",
                    [](const fs::path& m) { fs::remove(m / "model.safetensors"); },
                    "missing model.safetensors"},
        HostileFile{"TokenizerModelEscapes",
                    [](const fs::path& m) { write_tokenizer_config(m, "../../../../etc/passwd"); },
                    "[TokenizerConfig]"},
        HostileFile{"TokenizerModelAbsolute",
                    [](const fs::path& m) { write_tokenizer_config(m, "/etc/shadow"); },
                    "must be a file name inside the tokenizer directory"},
        HostileFile{"TokenizerConfigSymlinkOut",
                    [](const fs::path& m) {
                      std::ofstream(m.parent_path() / "outside.json") << "{}";
                      fs::create_symlink(m.parent_path() / "outside.json",
                                         m / "tokenizer_config.json");
                    },
                    "tokenizer_config.json resolves to"},
        HostileFile{"HfTokenizerJsonSymlinkOut",
                    [](const fs::path& m) {
                      std::ofstream(m.parent_path() / "outside.json") << "{}";
                      fs::create_symlink(m.parent_path() / "outside.json", m / "tokenizer.json");
                    },
                    "tokenizer.json resolves to"},
        HostileFile{"HfSpecialTokensMapSymlinkOut",
                    [](const fs::path& m) {
                      std::ofstream(m / "tokenizer.json") << "{}";
                      fs::create_symlink("/etc/passwd", m / "special_tokens_map.json");
                    },
                    "special_tokens_map.json resolves to /etc/passwd"}),
    [](const auto& info) { return std::string(info.param.name); });

// Every registered constructor states its class, and only model components and plain values
// are pure: a new data, tokenizer or training entry cannot become loadable from a model by
// accident.
TEST(ModelDirectory, EveryEntryStatesItsCapability) {
  for (const config::RegistryEntry* e : testing::registry().entries()) {
    EXPECT_NE(e->capability, config::Capability::kUnclassified) << e->name;
    const bool ml_family =
        e->name.rfind("forgather.ml.", 0) == 0 && e->name.rfind("forgather.ml.construct:", 0) != 0;
    if (e->capability == config::Capability::kPure) {
      EXPECT_FALSE(ml_family) << e->name << " is pure but lives in a side-effect family";
    }
  }
}

}  // namespace
}  // namespace fg::builders
