// The safetensors reader: validate the bytes, then read every tensor the way loaders do.
#include <cstddef>
#include <vector>

#include "core/error.h"
#include "entries/fuzz_entry.h"
#include "formats/safetensors_file.h"

namespace fg::fuzz {

void run_safetensors(FuzzInput data) {
  std::vector<std::byte> bytes(data.size());
  for (size_t i = 0; i < data.size(); ++i) bytes[i] = static_cast<std::byte>(data[i]);
  try {
    const auto file = formats::SafetensorsFile::from_bytes(std::move(bytes), "fuzz.safetensors");
    for (const auto& [name, tensor] : file.tensors()) {
      std::vector<std::byte> copy(tensor.bytes.size());
      file.copy_bytes(name, copy);
      if (tensor.dtype == formats::SafetensorsDtype::F32) file.read_f32(name);
      if (tensor.dtype == formats::SafetensorsDtype::I64) file.read_i64(name);
    }
  } catch (const Error&) {
  }
}

}  // namespace fg::fuzz
