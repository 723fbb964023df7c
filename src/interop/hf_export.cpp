#include "interop/hf_export.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/error.h"
#include "formats/safetensors_writer.h"
#include "interop/hf_model_spec.h"
#include "interop/hf_python_sources.h"
#include "tokenizer/hf_tokenizer_json.h"
#include "tokenizer/sentencepiece_tokenizer.h"

namespace fg::interop {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write_text(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw IoError("[export hf] could not write " + path.string());
}

void write_json(const fs::path& path, const json& j) {
  write_text(path, j.dump(2) + "\n");
}

json model_config(const nn::CausalLM& model, const tokenizer::Tokenizer& tok) {
  json config = hf_model_spec(model);
  FG_CHECK(config["vocab_size"].get<int64_t>() == tok.vocab_size(),
           "[export hf] the model's vocabulary ({}) and the tokenizer's ({}) differ",
           config["vocab_size"].get<int64_t>(), tok.vocab_size());
  config["model_type"] = "forgather";
  config["architectures"] = {"ForgatherForCausalLM"};
  config["auto_map"] = {{"AutoConfig", "configuration_forgather.ForgatherConfig"},
                        {"AutoModelForCausalLM", "modeling_forgather.ForgatherForCausalLM"}};
  config["bos_token_id"] = tok.bos_id();
  config["eos_token_id"] = tok.eos_id();
  config["pad_token_id"] = tok.pad_id();
  config["tie_word_embeddings"] = false;
  config["use_cache"] = true;
  config["torch_dtype"] = "float32";
  return config;
}

void write_weights(const nn::CausalLM& model, const fs::path& path) {
  formats::SafetensorsWriter writer;
  const nn::StateDict state = model.state_dict();  // names are modeling_forgather.py's
  std::vector<Tensor> host_copies;                 // the writer keeps spans until write()
  for (const auto& [name, tensor] : state) {
    const Tensor& host = host_copies.emplace_back(tensor.to_host());
    const float* data = host.data<float>();
    writer.add_f32(name, tensor.shape(),
                   std::span<const float>(data, static_cast<size_t>(tensor.numel())));
  }
  writer.write(path);
}

json special_tokens_map(const tokenizer::Tokenizer& tok) {
  const auto& s = tok.special_tokens();
  return {{"bos_token", s.bos}, {"eos_token", s.eos}, {"unk_token", s.unk}, {"pad_token", s.pad}};
}

}  // namespace

std::vector<std::string> export_hf(const nn::CausalLM& model, const tokenizer::Tokenizer& tokenizer,
                                   const fs::path& out_dir) {
  const auto* sp = dynamic_cast<const tokenizer::SentencePieceTokenizer*>(&tokenizer);
  if (sp == nullptr)
    throw Error(
        fmt::format("[export hf] the tokenizer is {}; the exporter converts SentencePiece "
                    "BPE tokenizers only",
                    tokenizer.config().kind));
  // Everything that can refuse runs before the first file is written.
  const json config = model_config(model, tokenizer);
  const json tokenizer_json = tokenizer::hf_tokenizer_json(*sp);
  const json generation = {{"bos_token_id", tokenizer.bos_id()},
                           {"eos_token_id", tokenizer.eos_id()},
                           {"pad_token_id", tokenizer.pad_id()},
                           {"use_cache", true}};

  fs::create_directories(out_dir);
  write_json(out_dir / "config.json", config);
  write_weights(model, out_dir / "model.safetensors");
  write_text(out_dir / "modeling_forgather.py", hf_modeling_py());
  write_text(out_dir / "configuration_forgather.py", hf_configuration_py());
  write_json(out_dir / "generation_config.json", generation);
  write_json(out_dir / "tokenizer.json", tokenizer_json);
  write_json(out_dir / "tokenizer_config.json", tokenizer::hf_tokenizer_config(tokenizer));
  write_json(out_dir / "special_tokens_map.json", special_tokens_map(tokenizer));
  return {"config.json",
          "model.safetensors",
          "modeling_forgather.py",
          "configuration_forgather.py",
          "generation_config.json",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json"};
}

}  // namespace fg::interop
