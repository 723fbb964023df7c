#include "formats/safetensors_writer.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "formats/file_io.h"

namespace fg::formats {
namespace {

// Bytes of a tensor of this shape and dtype; throws on overflow or a fractional byte count.
int64_t expected_bytes(const std::string& name, SafetensorsDtype dtype,
                       const std::vector<int64_t>& shape) {
  int64_t bits = dtype_bits(dtype);
  for (int64_t d : shape) {
    if (d < 0)
      throw Error(fmt::format("[SafetensorsWriter] tensor '{}' has negative dim {}", name, d));
    if (__builtin_mul_overflow(bits, d, &bits)) {
      throw Error(fmt::format("[SafetensorsWriter] tensor '{}' is too large", name));
    }
  }
  if (bits % 8 != 0) {
    throw Error(fmt::format("[SafetensorsWriter] tensor '{}' of dtype {} does not fill whole bytes",
                            name, dtype_name(dtype)));
  }
  return bits / 8;
}

}  // namespace

void SafetensorsWriter::add(const std::string& name, SafetensorsDtype dtype,
                            const std::vector<int64_t>& shape, std::span<const std::byte> data) {
  if (name.empty() || name == "__metadata__") {
    throw Error(fmt::format("[SafetensorsWriter] invalid tensor name '{}'", name));
  }
  for (const Pending& t : tensors_) {
    if (t.name == name) throw Error(fmt::format("[SafetensorsWriter] duplicate tensor '{}'", name));
  }
  int64_t want = expected_bytes(name, dtype, shape);
  if (want != static_cast<int64_t>(data.size())) {
    throw Error(fmt::format(
        "[SafetensorsWriter] tensor '{}': shape and dtype {} need {} bytes, got {} bytes", name,
        dtype_name(dtype), want, data.size()));
  }
  tensors_.push_back(Pending{name, dtype, shape, data});
}

void SafetensorsWriter::add_f32(const std::string& name, const std::vector<int64_t>& shape,
                                std::span<const float> values) {
  add(name, SafetensorsDtype::F32, shape, std::as_bytes(values));
}

void SafetensorsWriter::add_i64(const std::string& name, const std::vector<int64_t>& shape,
                                std::span<const int64_t> values) {
  add(name, SafetensorsDtype::I64, shape, std::as_bytes(values));
}

void SafetensorsWriter::set_metadata(const std::string& key, const std::string& value) {
  metadata_[key] = value;
}

std::vector<const SafetensorsWriter::Pending*> SafetensorsWriter::sorted() const {
  std::vector<const Pending*> order;
  for (const Pending& t : tensors_) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const Pending* a, const Pending* b) {
    if (a->dtype != b->dtype) return a->dtype > b->dtype;
    return a->name < b->name;
  });
  return order;
}

std::string SafetensorsWriter::header_json() const {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  nlohmann::ordered_json meta = nlohmann::ordered_json::object();
  if (default_format_ && !metadata_.count("format")) meta["format"] = "pt";
  for (const auto& [k, v] : metadata_) meta[k] = v;
  if (!meta.empty()) header["__metadata__"] = meta;
  int64_t offset = 0;
  for (const Pending* t : sorted()) {
    int64_t end = offset + static_cast<int64_t>(t->data.size());
    header[t->name] = {
        {"dtype", dtype_name(t->dtype)}, {"shape", t->shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  return header.dump();
}

std::string SafetensorsWriter::padded_header() const {
  std::string header = header_json();
  header.append((8 - header.size() % 8) % 8, ' ');
  return header;
}

int64_t SafetensorsWriter::data_bytes() const {
  int64_t total = 0;
  for (const Pending& t : tensors_) total += static_cast<int64_t>(t.data.size());
  return total;
}

std::vector<std::byte> SafetensorsWriter::serialize() const {
  std::string header = padded_header();
  std::vector<std::byte> out(8 + header.size() + static_cast<size_t>(data_bytes()));
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>((n >> (8 * i)) & 0xFF);
  std::memcpy(out.data() + 8, header.data(), header.size());
  std::byte* p = out.data() + 8 + header.size();
  for (const Pending* t : sorted()) {
    if (!t->data.empty()) std::memcpy(p, t->data.data(), t->data.size());
    p += t->data.size();
  }
  return out;
}

void SafetensorsWriter::write(const std::filesystem::path& path) const {
  std::string header = padded_header();
  std::byte len[8];
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::byte>((n >> (8 * i)) & 0xFF);
  write_file_atomic_with(path, [&](FileHandle& f) {
    f.write_all(std::span<const std::byte>(len, 8));
    f.write_all(header);
    for (const Pending* t : sorted()) f.write_all(t->data);
  });
}

}  // namespace fg::formats
