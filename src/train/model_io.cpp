#include "train/model_io.h"

#include "core/error.h"
#include "formats/safetensors_file.h"
#include "formats/safetensors_writer.h"

namespace fg::train {

void save_model_weights(const nn::Module& model, const std::filesystem::path& path,
                        const std::string& prefix) {
  formats::SafetensorsWriter writer;
  nn::StateDict state = model.state_dict();
  for (const auto& [name, tensor] : state) {
    const float* data = tensor.data<float>();
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
    incoming.emplace_back(name, Tensor::from_vector(file.read_f32(name), info.shape));
  }
  try {
    model.load_state_dict(incoming, nn::LoadOptions{.strict = true, .prefix = prefix});
  } catch (const Error& e) {
    throw IoError("[load_model_weights] " + path.string() + ": " + e.what());
  }
}

std::vector<std::string> model_signature(const nn::Module& model) {
  std::vector<std::string> out;
  for (const auto& [name, tensor] : model.state_dict())
    out.push_back(name + nn::shape_str(tensor.shape()));
  return out;
}

}  // namespace fg::train
