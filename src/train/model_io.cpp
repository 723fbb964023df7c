#include "train/model_io.h"

#include <fmt/format.h>

#include "core/error.h"
#include "formats/finite_check.h"
#include "formats/safetensors_file.h"
#include "formats/safetensors_writer.h"

namespace fg::train {

void save_model_weights(const nn::Module& model, const std::filesystem::path& path,
                        const std::string& prefix) {
  formats::SafetensorsWriter writer;
  nn::StateDict state = model.state_dict();
  std::vector<Tensor> host_copies;
  for (const auto& [name, tensor] : state) {
    const Tensor host = tensor.to_host();  // the writer keeps the span until write()
    host_copies.push_back(host);
    const float* data = host.data<float>();
    writer.add_f32(prefix + name, tensor.shape(),
                   std::span<const float>(data, static_cast<size_t>(tensor.numel())));
  }
  writer.write(path);
}

void load_model_weights(nn::Module& model, const std::filesystem::path& path,
                        const std::string& prefix) {
  auto file = formats::SafetensorsFile::open(path);
  nn::StateDict incoming;
  for (const auto& [name, info] : file.tensors()) {
    if (info.dtype != formats::SafetensorsDtype::F32) {
      throw IoError("[load_model_weights] " + path.string() + ": tensor '" + name +
                    "' is not F32; only float32 weights are supported");
    }
    std::vector<float> values = file.read_f32(name);
    formats::require_finite(values, "load_model_weights", path, name);
    incoming.emplace_back(name, Tensor::from_vector(std::move(values), info.shape));
  }
  try {
    model.load_state_dict(incoming, nn::LoadOptions{.strict = true, .prefix = prefix});
  } catch (const Error& e) {
    throw IoError("[load_model_weights] " + path.string() + ": " + e.what());
  }
}

std::optional<std::string> find_non_finite_weight(const nn::Module& model) {
  for (const auto& [name, tensor] : model.state_dict()) {
    if (tensor.dtype() != DType::F32) continue;
    const Tensor host = tensor.to_host();
    std::span<const float> values(host.data<float>(), static_cast<size_t>(tensor.numel()));
    if (auto i = formats::first_non_finite(values)) {
      return fmt::format("weight '{}' holds {} at element {}", name,
                         values[static_cast<size_t>(*i)], *i);
    }
  }
  return std::nullopt;
}

std::vector<std::string> model_signature(const nn::Module& model) {
  std::vector<std::string> out;
  for (const auto& [name, tensor] : model.state_dict())
    out.push_back(name + nn::shape_str(tensor.shape()));
  return out;
}

}  // namespace fg::train
