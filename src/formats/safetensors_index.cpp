#include "formats/safetensors_index.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_parse.h"
#include "formats/file_io.h"

namespace fg::formats {

void write_safetensors_index(const std::filesystem::path& path, const SafetensorsIndex& index) {
  nlohmann::ordered_json j;
  j["metadata"] = {{"total_size", index.total_size}};
  j["weight_map"] = nlohmann::ordered_json::object();
  for (const auto& [name, file] : index.weight_map) j["weight_map"][name] = file;
  write_file_atomic(path, j.dump(2) + "\n");
}

SafetensorsIndex read_safetensors_index(const std::filesystem::path& path) {
  auto fail = [&](const std::string& problem) {
    return IoError(fmt::format("[safetensors] index '{}': {}", path.string(), problem));
  };
  // parse_json bounds nesting and names the line of a syntax error.
  const nlohmann::json j = parse_json(read_file_text(path), "safetensors index " + path.string());
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
    throw fail("expected an object with a \"weight_map\" object");
  }
  SafetensorsIndex index;
  if (j.contains("metadata") && j["metadata"].is_object() && j["metadata"].contains("total_size")) {
    const auto& ts = j["metadata"]["total_size"];
    if (!ts.is_number()) throw fail("metadata.total_size must be a number");
    index.total_size =
        json_int64(ts, "safetensors index " + path.string() + ": metadata.total_size", 0);
  }
  for (const auto& [name, file] : j["weight_map"].items()) {
    if (!file.is_string()) throw fail(fmt::format("weight_map['{}'] must be a string", name));
    std::string f = file.get<std::string>();
    if (f.empty() || f.find('/') != std::string::npos || f == "." || f == "..") {
      throw fail(fmt::format("weight_map['{}'] = '{}' is not a plain file name", name, f));
    }
    index.weight_map[name] = f;
  }
  return index;
}

}  // namespace fg::formats
