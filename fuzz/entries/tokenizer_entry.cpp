// The tokenizer loader: the input is tokenizer_config.json, then optionally a marker line and the
// SentencePiece model bytes. A loaded tokenizer encodes and decodes a fixed text.
#include <filesystem>

#include "core/error.h"
#include "entries/fuzz_entry.h"
#include "entries/input_text.h"
#include "entries/scratch_dir.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace fg::fuzz {

void run_tokenizer(FuzzInput data) {
  const auto [config, model] = split_at(as_text(data), "\n--model--\n");
  const std::filesystem::path dir = scratch_dir() / "tokenizer";
  std::filesystem::create_directories(dir);
  write_scratch_file("tokenizer/tokenizer_config.json", config);
  write_scratch_file("tokenizer/tokenizer.model", model);
  try {
    const auto tok = tokenizer::load_tokenizer(dir);
    const auto ids = tok->encode("Hello, world! Ünïcödé \xe2\x96\x81 <s> </s>");
    tok->decode(ids);
    for (int32_t id = 0; id < std::min<int64_t>(tok->vocab_size(), 64); ++id) tok->id_to_piece(id);
  } catch (const Error&) {
  }
}

}  // namespace fg::fuzz
