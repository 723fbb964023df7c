#include "cli/commands/eval_dump.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/check.h"
#include "formats/safetensors_writer.h"
#include "tensor/tensor.h"

namespace fg::cli {

void dump_logits(const builders::LoadedModel& loaded, const std::vector<std::string>& docs,
                 const LogitsDumpRequest& request) {
  FG_CHECK(request.max_tokens > 0, "[eval] --dump-max-tokens must be positive, got {}",
           request.max_tokens);
  NoGradGuard no_grad;
  loaded.model->eval();
  formats::SafetensorsWriter writer;
  // The writer references the data: keep every buffer alive until write().
  std::vector<std::vector<int64_t>> ids(docs.size());
  std::vector<std::vector<float>> logits;
  logits.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    auto encoded = loaded.tokenizer->encode(docs[i]);
    ids[i].assign(encoded.begin(), encoded.end());
    writer.add_i64(fmt::format("ids.{}", i), {static_cast<int64_t>(ids[i].size())}, ids[i]);
    writer.set_metadata(fmt::format("text.{}", i), docs[i]);
    if (static_cast<int64_t>(i) >= request.stories) continue;
    const int64_t t = std::min<int64_t>(static_cast<int64_t>(ids[i].size()), request.max_tokens);
    std::vector<int64_t> head(ids[i].begin(), ids[i].begin() + t);
    Tensor out = loaded.model->forward(
        Tensor::from_vector_i64(head, {1, t}, loaded.model->device()), nn::ForwardContext{});
    logits.push_back(out.to_vector());
    writer.add_f32(fmt::format("logits.{}", i), {t, out.size(2)}, logits.back());
  }
  writer.set_metadata("stories", std::to_string(docs.size()));
  writer.write(request.file);
}

}  // namespace fg::cli
