#include "formats/safetensors_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/strings.h"
#include "formats/file_io.h"

namespace fg::formats {

using nlohmann::json;

// The file's bytes: either a private read-only mapping or an owned vector.
struct SafetensorsFile::Storage {
  std::vector<std::byte> owned;
  void* map = nullptr;
  size_t map_size = 0;

  std::span<const std::byte> bytes() const {
    if (map != nullptr) return {static_cast<const std::byte*>(map), map_size};
    return owned;
  }
  ~Storage() {
    if (map != nullptr) ::munmap(map, map_size);
  }
};

namespace {

[[noreturn]] void fail(const std::string& label, const std::string& problem) {
  throw IoError(fmt::format("[safetensors] '{}': {}", label, problem));
}

// Parses the header JSON, rejecting duplicate keys at any nesting level.
json parse_header_json(std::string_view text, const std::string& label) {
  std::vector<std::set<std::string>> seen;
  auto callback = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      seen.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!seen.empty()) seen.pop_back();
    } else if (event == json::parse_event_t::key && !seen.empty()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (!seen.back().insert(key).second)
        fail(label, fmt::format("duplicate key '{}' in header", key));
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const json::exception& e) {
    fail(label, fmt::format("header is not valid JSON: {}", e.what()));
  }
}

// A JSON value that must be a non-negative integer representable as int64_t.
int64_t as_index(const json& v, const std::string& label, const std::string& what) {
  if (!v.is_number_unsigned()) {
    fail(label, fmt::format("{} must be a non-negative integer, found {}", what, v.dump()));
  }
  uint64_t u = v.get<uint64_t>();
  if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    fail(label, fmt::format("{} is too large ({})", what, u));
  }
  return static_cast<int64_t>(u);
}

std::map<std::string, std::string> parse_metadata(const json& meta, const std::string& label) {
  if (!meta.is_object()) fail(label, "__metadata__ must be an object of strings");
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : meta.items()) {
    if (!v.is_string()) {
      fail(label,
           fmt::format("__metadata__ value for '{}' must be a string, found {}", k, v.dump()));
    }
    out[k] = v.get<std::string>();
  }
  return out;
}

SafetensorsTensor parse_tensor_info(const std::string& name, const json& info,
                                    const std::string& label) {
  if (!info.is_object()) fail(label, fmt::format("entry '{}' must be an object", name));
  for (const auto& [k, v] : info.items()) {
    if (k != "dtype" && k != "shape" && k != "data_offsets") {
      fail(label, fmt::format("tensor '{}' has unexpected field '{}'", name, k));
    }
  }
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!info.contains(field)) fail(label, fmt::format("tensor '{}' lacks '{}'", name, field));
  }
  SafetensorsTensor t;
  t.name = name;
  const json& dtype = info["dtype"];
  auto parsed = dtype.is_string() ? parse_dtype(dtype.get<std::string>()) : std::nullopt;
  if (!parsed) fail(label, fmt::format("tensor '{}' has unknown dtype {}", name, dtype.dump()));
  t.dtype = *parsed;
  const json& shape = info["shape"];
  if (!shape.is_array()) fail(label, fmt::format("tensor '{}': shape must be an array", name));
  for (const json& d : shape)
    t.shape.push_back(as_index(d, label, fmt::format("shape of '{}'", name)));
  const json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) {
    fail(label, fmt::format("tensor '{}': data_offsets must be [begin, end]", name));
  }
  t.begin = as_index(offsets[0], label, fmt::format("data_offsets of '{}'", name));
  t.end = as_index(offsets[1], label, fmt::format("data_offsets of '{}'", name));
  return t;
}

// shape x dtype must be a whole number of bytes equal to end - begin.
void check_tensor_size(const SafetensorsTensor& t, const std::string& label) {
  int64_t bits = dtype_bits(t.dtype);
  for (int64_t d : t.shape) {
    if (__builtin_mul_overflow(bits, d, &bits)) {
      fail(label, fmt::format("tensor '{}': shape size overflows", t.name));
    }
  }
  if (bits % 8 != 0) {
    fail(label, fmt::format("tensor '{}': {} bits of {} is not a whole number of bytes", t.name,
                            bits, dtype_name(t.dtype)));
  }
  if (bits / 8 != t.end - t.begin) {
    fail(label,
         fmt::format("tensor '{}': shape and dtype {} need {} bytes but data_offsets span {}",
                     t.name, dtype_name(t.dtype), bits / 8, t.end - t.begin));
  }
}

// Sorted by offsets, tensors must tile [0, buffer_size) exactly: no holes, no overlaps.
void check_offsets(const std::map<std::string, SafetensorsTensor>& tensors, int64_t buffer_size,
                   const std::string& label) {
  std::vector<const SafetensorsTensor*> order;
  for (const auto& [name, t] : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  int64_t expected = 0;
  for (const SafetensorsTensor* t : order) {
    if (t->end < t->begin) {
      fail(label, fmt::format("tensor '{}': data_offsets end {} is before begin {}", t->name,
                              t->end, t->begin));
    }
    if (t->begin != expected) {
      fail(label, fmt::format("tensor '{}': data starts at offset {}, expected {} ({})", t->name,
                              t->begin, expected, t->begin < expected ? "overlap" : "hole"));
    }
    expected = t->end;
  }
  if (expected != buffer_size) {
    fail(label,
         fmt::format("tensors cover {} bytes of a {}-byte data buffer", expected, buffer_size));
  }
}

}  // namespace

int64_t SafetensorsTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

SafetensorsFile::SafetensorsFile(std::unique_ptr<Storage> storage, std::string label)
    : storage_(std::move(storage)), label_(std::move(label)) {}
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path, Load load) {
  auto storage = std::make_unique<Storage>();
  if (load == Load::kRead) {
    storage->owned = read_file_bytes(path);
  } else {
    FileHandle f = FileHandle::open(path, O_RDONLY);
    struct stat st {};
    if (::fstat(f.fd(), &st) != 0) fail(path.string(), "cannot stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) fail(path.string(), "not a regular file");
    if (st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, f.fd(), 0);
      if (p == MAP_FAILED) fail(path.string(), "cannot mmap: " + errno_text(errno));
      storage->map = p;
      storage->map_size = static_cast<size_t>(st.st_size);
    }
  }
  SafetensorsFile file(std::move(storage), path.string());
  file.parse();
  return file;
}

SafetensorsFile SafetensorsFile::from_bytes(std::vector<std::byte> bytes, std::string label) {
  auto storage = std::make_unique<Storage>();
  storage->owned = std::move(bytes);
  SafetensorsFile file(std::move(storage), std::move(label));
  file.parse();
  return file;
}

void SafetensorsFile::parse() {
  std::span<const std::byte> all = storage_->bytes();
  if (all.size() < 8) {
    fail(label_,
         fmt::format("file is {} bytes, too small for the 8-byte header length", all.size()));
  }
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(all[i]) << (8 * i);
  if (n > kSafetensorsMaxHeader) {
    fail(label_, fmt::format("header length {} exceeds the limit of {}", n, kSafetensorsMaxHeader));
  }
  if (n > all.size() - 8) {
    fail(label_, fmt::format("header length {} extends beyond the file ({} bytes)", n, all.size()));
  }
  std::string_view text(reinterpret_cast<const char*>(all.data() + 8), n);
  json header = parse_header_json(text, label_);
  if (!header.is_object()) fail(label_, "header must be a JSON object");
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_null()) metadata_ = parse_metadata(value, label_);  // null: serde's None
    } else {
      tensors_.emplace(key, parse_tensor_info(key, value, label_));
    }
  }
  std::span<const std::byte> buffer = all.subspan(8 + n);
  check_offsets(tensors_, static_cast<int64_t>(buffer.size()), label_);
  for (const auto& [name, t] : tensors_) check_tensor_size(t, label_);
  for (auto& [name, t] : tensors_) {
    t.bytes = buffer.subspan(static_cast<size_t>(t.begin), static_cast<size_t>(t.end - t.begin));
  }
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : tensors_) out.push_back(name);
  return out;
}

const SafetensorsTensor& SafetensorsFile::at(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) {
    fail(label_, fmt::format("no tensor named '{}'{}", name, did_you_mean(name, names())));
  }
  return it->second;
}

std::vector<float> SafetensorsFile::read_f32(const std::string& name) const {
  const SafetensorsTensor& t = at(name);
  if (t.dtype != SafetensorsDtype::F32) {
    fail(label_, fmt::format("tensor '{}' has dtype {}, expected F32", name, dtype_name(t.dtype)));
  }
  std::vector<float> out(static_cast<size_t>(t.numel()));
  if (!out.empty()) std::memcpy(out.data(), t.bytes.data(), t.bytes.size());
  return out;
}

std::vector<int64_t> SafetensorsFile::read_i64(const std::string& name) const {
  const SafetensorsTensor& t = at(name);
  if (t.dtype != SafetensorsDtype::I64) {
    fail(label_, fmt::format("tensor '{}' has dtype {}, expected I64", name, dtype_name(t.dtype)));
  }
  std::vector<int64_t> out(static_cast<size_t>(t.numel()));
  if (!out.empty()) std::memcpy(out.data(), t.bytes.data(), t.bytes.size());
  return out;
}

void SafetensorsFile::copy_bytes(const std::string& name, std::span<std::byte> dst) const {
  const SafetensorsTensor& t = at(name);
  if (dst.size() != t.bytes.size()) {
    fail(label_, fmt::format("tensor '{}' has {} bytes, destination has {}", name, t.bytes.size(),
                             dst.size()));
  }
  if (!dst.empty()) std::memcpy(dst.data(), t.bytes.data(), dst.size());
}

}  // namespace fg::formats
